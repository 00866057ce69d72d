import type { NatsConnection } from 'nats';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { EventStore, RecordedEvent } from '@lm/event-store';
import { metricFamilies, registerLagMetrics } from '../src/metrics';

/** A store whose checkpoints and unhandled events are as given (readAll answers what follows a checkpoint). */
function storeWith(checkpoints: Record<string, string>, oldestAfter: Record<string, Date>, delayMs = 0): EventStore {
  return {
    checkpoints: { load: async (name: string) => checkpoints[name] },
    readAll: async ({ after }: { after?: string }) => {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      const recordedAt = after === undefined ? undefined : oldestAfter[after];
      return recordedAt ? [{ recordedAt } as RecordedEvent] : [];
    },
  } as unknown as EventStore;
}

const jetStream = (pending: Record<string, [number, number]>) =>
  ({
    jetstreamManager: async () => ({
      consumers: {
        info: async (_stream: string, name: string) => ({
          num_pending: pending[name][0],
          num_ack_pending: pending[name][1],
        }),
      },
    }),
  }) as unknown as NatsConnection;

async function gauges(registry: Registry): Promise<Record<string, number>> {
  const values: Record<string, number> = {};
  for (const family of await metricFamilies(registry))
    for (const { labels, value } of family.values) values[`${family.name}:${Object.values(labels).join(',')}`] = value;
  return values;
}

describe('registerLagMetrics', () => {
  it('shows the age of the oldest event past each checkpoint, and what JetStream holds for each consumer', async () => {
    const registry = new Registry();
    registerLagMetrics(registry, {
      store: storeWith({ 'relay:jetstream': 'p1', 'grant-distribution': 'p9' }, { p1: new Date(Date.now() - 30_000) }),
      nc: jetStream({ 'licensing-inventory': [3, 2] }),
      checkpoints: ['relay:jetstream', 'grant-distribution'],
      consumers: ['licensing-inventory'],
    });
    const values = await gauges(registry);
    expect(values['lm_event_store_checkpoint_lag_seconds:relay:jetstream']).toBeGreaterThanOrEqual(30);
    expect(values['lm_event_store_checkpoint_lag_seconds:relay:jetstream']).toBeLessThan(35);
    expect(values['lm_event_store_checkpoint_lag_seconds:grant-distribution']).toBe(0);
    expect(values['lm_consumer_pending_messages:licensing-inventory']).toBe(5);
  });

  it('answers in time with the previous measure when measuring is slow, and the slow measure at the next scrape', async () => {
    const registry = new Registry();
    const oldest = { p1: new Date(Date.now() - 10_000) };
    registerLagMetrics(registry, {
      store: storeWith({ 'relay:jetstream': 'p1' }, oldest, 300),
      nc: jetStream({}),
      checkpoints: ['relay:jetstream'],
      consumers: [],
    });
    const started = Date.now();
    expect(await gauges(registry)).toEqual({});
    expect(Date.now() - started).toBeLessThan(250);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await gauges(registry))['lm_event_store_checkpoint_lag_seconds:relay:jetstream']).toBeGreaterThanOrEqual(
      10,
    );
  });
});
