import type { MetricFamily, ServiceMetrics, ServiceName } from '@lm/contracts';
import { metricsSubject } from '@lm/messaging';
import { connect, JSONCodec, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayConfig } from '../../src/config';
import { ReplicaMetrics } from '../../src/observability/replica-metrics';

const codec = JSONCodec();

describe('ReplicaMetrics on NATS', () => {
  let nc: NatsConnection;
  beforeAll(async () => {
    nc = await connect({ servers: process.env.NATS_URL });
  });
  afterAll(async () => {
    await nc?.drain();
  });

  const families = (value: number): MetricFamily[] => [
    { name: 'lm_service_operations_total', help: 'ops', type: 'counter', values: [{ value, labels: {} }] },
  ];

  /** A replica as the chassis answers: the reply packet of @nestjs/microservices around its ServiceMetrics. */
  const replica = (instance: string, value: number, service: ServiceName = 'reporting', delayMs = 0) =>
    nc.subscribe(metricsSubject(service), {
      callback: (_error, message) => {
        const response: ServiceMetrics = { service, instance, families: families(value) };
        setTimeout(() => message.respond(codec.encode({ id: 'metrics', response, isDisposed: true })), delayMs);
      },
    });

  it('gathers one answer from every replica of each service, and nothing from a service that is not running', async () => {
    const replicas = [replica('host-a:1', 2), replica('host-b:2', 5)];
    const gatherer = new ReplicaMetrics(nc, { services: ['reporting', 'conversion'] } as GatewayConfig);
    const started = Date.now();
    const gathered = await gatherer.gather();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(gathered.sort((a, b) => a.instance.localeCompare(b.instance))).toEqual([
      { service: 'reporting', instance: 'host-a:1', families: families(2) },
      { service: 'reporting', instance: 'host-b:2', families: families(5) },
    ]);
    replicas.forEach((subscription) => subscription.unsubscribe());
  });

  it('takes a replica slower than the window from the scrape after its first answer on, waiting for it', async () => {
    const service = 'user-subscriptions';
    const replicas = [replica('fast:1', 1, service), replica('slow:2', 2, service, 600)];
    const gatherer = new ReplicaMetrics(nc, { services: [service] } as GatewayConfig);
    const instancesOf = async () => {
      const started = Date.now();
      const instances = (await gatherer.gather()).map((metrics) => metrics.instance).sort();
      return { instances, tookMs: Date.now() - started };
    };
    // Never heard of: not waited for beyond the window, but its late answer is noted.
    const first = await instancesOf();
    expect(first.instances).toEqual(['fast:1']);
    expect(first.tookMs).toBeLessThan(600);
    await new Promise((resolve) => setTimeout(resolve, 700));
    const second = await instancesOf();
    expect(second.instances).toEqual(['fast:1', 'slow:2']);
    expect(second.tookMs).toBeGreaterThanOrEqual(600);
    expect(second.tookMs).toBeLessThan(2_000);
    replicas.forEach((subscription) => subscription.unsubscribe());
  });
});
