import { Inject, Injectable } from '@nestjs/common';
import type { ServiceMetrics, ServiceName } from '@lm/contracts';
import { metricsSubject } from '@lm/messaging';
import { JSONCodec, RequestStrategy, type NatsConnection } from 'nats';
import { GATEWAY_CONFIG, NATS_CONNECTION, type GatewayConfig } from '../config';

/** How long /metrics collects the replicas' answers: every replica answers at once, none is waited for beyond it. */
const COLLECTION_WINDOW_MS = 250;
/** At most this many answers per service, so that a misbehaving subject cannot grow a scrape without bound. */
const MAX_REPLICAS = 1_000;

const codec = JSONCodec();

/**
 * Gathers the counters of every replica of the deployed services: one request per service on its
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
        if (metrics?.counters) gathered.push(metrics);
      }
    } catch {
      // No replica running (no responders), or NATS down: the scrape shows what it gathered.
    }
    return gathered;
  }
}

/**
 * The replicas' counters in Prometheus text, one series per service, replica and counter:
 * `lm_service_counter_total{service="licensing",instance="host:123",counter="version_conflict_retries"} 7`.
 */
export function renderReplicaMetrics(replicas: readonly ServiceMetrics[]): string {
  const lines = [
    '# HELP lm_service_counter_total Counters of each service replica since it started.',
    '# TYPE lm_service_counter_total counter',
  ];
  const ordered = [...replicas].sort(
    (a, b) => a.service.localeCompare(b.service) || a.instance.localeCompare(b.instance),
  );
  for (const { service, instance, counters } of ordered) {
    for (const [counter, value] of Object.entries(counters).sort(([a], [b]) => a.localeCompare(b))) {
      const labels = `service="${labelValue(service)}",instance="${labelValue(instance)}",counter="${labelValue(counter)}"`;
      lines.push(`lm_service_counter_total{${labels}} ${value}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** Label values escape backslash, double quote and line feed (the text format's rule). */
function labelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
