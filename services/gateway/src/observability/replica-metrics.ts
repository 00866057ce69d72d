import { Inject, Injectable } from '@nestjs/common';
import type { MetricFamily, ServiceMetrics, ServiceName } from '@lm/contracts';
import { metricsSubject } from '@lm/messaging';
import { JSONCodec, RequestStrategy, type NatsConnection } from 'nats';
import { AggregatorRegistry } from 'prom-client';
import { GATEWAY_CONFIG, NATS_CONNECTION, type GatewayConfig } from '../config';

/** How long /metrics collects the replicas' answers: every replica answers at once, none is waited for beyond it. */
const COLLECTION_WINDOW_MS = 250;
/** At most this many answers per service, so that a misbehaving subject cannot grow a scrape without bound. */
const MAX_REPLICAS = 1_000;

const codec = JSONCodec();

/**
 * Gathers the metrics of every replica of the deployed services: one request per service on its
 * metrics subject, which every replica answers (no queue group), collected for a short window.
 */
@Injectable()
export class ReplicaMetrics {
  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async gather(): Promise<ServiceMetrics[]> {
    const perService = await Promise.all(this.config.services.map((service) => this.gatherOf(service)));
    return perService.flat();
  }

  private async gatherOf(service: ServiceName): Promise<ServiceMetrics[]> {
    const subject = metricsSubject(service);
    const gathered: ServiceMetrics[] = [];
    try {
      const replies = await this.nc.requestMany(subject, codec.encode({ pattern: subject, data: {}, id: 'metrics' }), {
        strategy: RequestStrategy.Timer,
        maxWait: COLLECTION_WINDOW_MS,
        maxMessages: MAX_REPLICAS,
      });
      for await (const reply of replies) {
        const metrics = (codec.decode(reply.data) as { response?: ServiceMetrics }).response;
        if (Array.isArray(metrics?.families)) gathered.push(metrics);
      }
    } catch {
      // No replica running (no responders), or NATS down: the scrape shows what it gathered.
    }
    return gathered;
  }
}

/**
 * One Prometheus text exposition of the gateway's metrics and every replica's: the series of a
 * metric, from all processes, under one HELP and TYPE. Each replica's series are labelled with
 * the `service` and `instance` of its answer (whatever it put in them), so that two replicas
 * never share a series.
 */
export async function renderMetrics(gateway: MetricFamily[], replicas: readonly ServiceMetrics[]): Promise<string> {
  const ordered = [...replicas].sort(
    (a, b) => a.service.localeCompare(b.service) || a.instance.localeCompare(b.instance),
  );
  const families = [
    gateway,
    ...ordered.map(({ service, instance, families }) =>
      families.map((family) => ({
        ...family,
        values: family.values.map((value) => ({ ...value, labels: { ...value.labels, service, instance } })),
      })),
    ),
  ];
  // Every series is already one process's own, so merging only groups them by name: 'sum' over a
  // single value is that value (the families' own aggregators, such as 'omit', are for cluster workers).
  const merged = families.map((list) => list.map((family) => ({ ...family, aggregator: 'sum' as const })));
  return AggregatorRegistry.aggregate(merged as Parameters<typeof AggregatorRegistry.aggregate>[0]).metrics();
}
