import { describe, expect, it } from 'vitest';
import { ExpectedVersionConflictError, type AppendResult, type EventStore } from '@lm/event-store';
import { Registry } from 'prom-client';
import { instrumentEventStore, metricFamilies } from '../src/metrics';

/** A store whose appends answer as told: the port is all the instrumentation sees. */
function storeAnswering(outcomes: ('ok' | 'conflict' | 'error')[]): EventStore {
  const answer = async (): Promise<AppendResult[]> => {
    const outcome = outcomes.shift();
    if (outcome === 'conflict') throw new ExpectedVersionConflictError('thing-1', 1, 2);
    if (outcome === 'error') throw new Error('connection lost');
    return [{ nextExpectedVersion: 2, position: '1' }];
  };
  return {
    capabilities: { transactionalGuards: true, atomicMultiStreamAppends: true },
    append: async () => (await answer())[0],
    appendToStreams: answer,
    readStream: async () => ({ currentVersion: 0, events: [] }),
  } as unknown as EventStore;
}

/** The value of a series of the registry: `name` with exactly `labels`. */
async function valueOf(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const series = (await metricFamilies(registry))
    .flatMap((family) => family.values.map((value) => ({ name: value.metricName ?? family.name, ...value })))
    .find((value) => value.name === name && JSON.stringify(value.labels) === JSON.stringify(labels));
  return series?.value ?? 0;
}

describe('instrumentEventStore', () => {
  it('times every append by outcome and counts the version conflicts', async () => {
    const registry = new Registry();
    const store = instrumentEventStore(storeAnswering(['ok', 'conflict', 'ok', 'error']), registry);
    await store.append('thing-1', [{ type: 'ThingCreated', data: {} }]);
    await expect(store.append('thing-1', [{ type: 'ThingRenamed', data: {} }], { expectedVersion: 1 })).rejects.toThrow(
      ExpectedVersionConflictError,
    );
    await store.appendToStreams([{ streamName: 'thing-2', events: [{ type: 'ThingCreated', data: {} }] }]);
    await expect(store.append('thing-3', [{ type: 'ThingCreated', data: {} }])).rejects.toThrow('connection lost');

    const count = (outcome: string) => valueOf(registry, 'lm_event_store_append_duration_seconds_count', { outcome });
    expect([await count('ok'), await count('conflict'), await count('error')]).toEqual([2, 1, 1]);
    expect(await valueOf(registry, 'lm_event_store_version_conflicts_total')).toBe(1);
  });

  it('leaves everything else of the store as it is', async () => {
    const inner = storeAnswering([]);
    const store = instrumentEventStore(inner, new Registry());
    expect(store.capabilities).toBe(inner.capabilities);
    expect(await store.readStream('thing-1')).toEqual({ currentVersion: 0, events: [] });
  });
});
