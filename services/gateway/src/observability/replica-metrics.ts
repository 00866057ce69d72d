import { Inject, Injectable } from '@nestjs/common';
import type { MetricFamily, ServiceMetrics, ServiceName } from '@lm/contracts';
import { metricsSubject } from '@lm/messaging';
import { JSONCodec, RequestStrategy, type NatsConnection } from 'nats';
import { AggregatorRegistry } from 'prom-client';
import { GATEWAY_CONFIG, NATS_CONNECTION, type GatewayConfig } from '../config';

/** How long /metrics waits for replicas it has not heard from lately (a replica that has just started). */
const COLLECTION_WINDOW_MS = 250;
/**
 * How long /metrics waits at most for the replicas that answered lately, and for a first replica
 * of a deployed service: a busy replica may take longer than the window, and a scrape should not
 * drop it (its counters would seem to restart).
 */
const MAX_WAIT_MS = 2_000;
/** A replica that has not answered for this long is no longer waited for (it stopped, or was scaled down). */
const FORGET_AFTER_MS = 60_000;
/** At most this many answers per service, so that a misbehaving subject cannot grow a scrape without bound. */
const MAX_REPLICAS = 1_000;

const codec = JSONCodec();

/**
 * Gathers the metrics of every replica of the deployed services: one request per service on its
 * metrics subject, which every replica answers (no queue group). A scrape takes the answers of
 * COLLECTION_WINDOW_MS, and on (up to MAX_WAIT_MS) until at least one replica and every replica
 * that answered in the last minute have answered: quick when all are, complete when one is slow.
 * Answers that come after the scrape was answered are not lost either: their replicas are waited
 * for from the next scrape on.
 */
@Injectable()
export class ReplicaMetrics {
  /** When each replica (`service/instance`) last answered (monotonic: no step of the wall clock moves it). */
  private readonly lastAnswered = new Map<string, number>();

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async gather(): Promise<ServiceMetrics[]> {
    const perService = await Promise.all(this.config.services.map((service) => this.gatherOf(service)));
    return perService.flat();
  }

  private gatherOf(service: ServiceName): Promise<ServiceMetrics[]> {
    const subject = metricsSubject(service);
    const awaited = this.recentlyAnswered(service);
    const gathered: ServiceMetrics[] = [];
    return new Promise((resolve) => {
      let answered = false;
      let windowOver = false;
      const answer = () => {
        if (!answered) resolve(gathered);
        answered = true;
      };
      const answerIfComplete = () => {
        if (windowOver && gathered.length > 0 && awaited.size === 0) answer();
      };
      const window = setTimeout(() => {
        windowOver = true;
        answerIfComplete();
      }, COLLECTION_WINDOW_MS);
      void (async () => {
        try {
          const replies = await this.nc.requestMany(
            subject,
            codec.encode({ pattern: subject, data: {}, id: 'metrics' }),
            { strategy: RequestStrategy.Timer, maxWait: MAX_WAIT_MS, maxMessages: MAX_REPLICAS },
          );
          for await (const reply of replies) {
            const metrics = (codec.decode(reply.data) as { response?: ServiceMetrics }).response;
            if (!Array.isArray(metrics?.families)) continue;
            this.lastAnswered.set(`${service}/${metrics.instance}`, performance.now());
            if (answered) continue;
            gathered.push(metrics);
            awaited.delete(metrics.instance);
            answerIfComplete();
          }
        } catch {
          // No replica running (no responders), or NATS down: the scrape shows what it gathered.
        } finally {
          clearTimeout(window);
          answer();
        }
      })();
    });
  }

  /** The instances of a service that answered within FORGET_AFTER_MS; older ones are forgotten. */
  private recentlyAnswered(service: ServiceName): Set<string> {
    const instances = new Set<string>();
    for (const [key, answeredAt] of this.lastAnswered) {
      if (performance.now() - answeredAt > FORGET_AFTER_MS) this.lastAnswered.delete(key);
      else if (key.startsWith(`${service}/`)) instances.add(key.slice(service.length + 1));
    }
    return instances;
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
