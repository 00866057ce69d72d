import { Logger } from '@nestjs/common';
import type { ServiceMetrics, ServiceName } from '@lm/contracts';
import { metricsSubject } from '@lm/messaging';
import { JSONCodec, type NatsConnection, type Subscription } from 'nats';
import type { Registry } from 'prom-client';
import { instanceName, metricFamilies } from './registry';

const codec = JSONCodec();
const logger = new Logger('metrics');

/**
 * Answers `metricsSubject(service)` with every metric of this replica's registry. No queue group:
 * a request with several replies gathers one answer per replica. The answer is the reply packet
 * of @nestjs/microservices (`{ id, response: ServiceMetrics, isDisposed: true }`), as on the health
 * subject, so that one decoder reads both.
 */
export function serveMetrics(nc: NatsConnection, service: ServiceName, registry: Registry): Subscription {
  const instance = instanceName();
  return nc.subscribe(metricsSubject(service), {
    callback: (error, message) => {
      if (error || !message.reply) return;
      metricFamilies(registry)
        .then((families) => {
          const response: ServiceMetrics = { service, instance, families };
          message.respond(codec.encode({ id: requestId(message.data), response, isDisposed: true }));
        })
        // Unanswered (collection failed, or the connection closed meanwhile at shutdown), this
        // replica is missing from that scrape.
        .catch((failure: unknown) => logger.warn(`metrics not answered: ${String(failure)}`));
    },
  });
}

function requestId(data: Uint8Array): unknown {
  try {
    return (codec.decode(data) as { id?: unknown } | null)?.id ?? null;
  } catch {
    return null;
  }
}
