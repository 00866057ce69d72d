import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CheckpointStore, Recorded, TypedReadPage, UntypedEvent } from '../src/event-store';
import { PollingSubscription, SubscriptionRegistry } from '../src/polling-subscription';
import { consoleLogger } from '../src/logger';

/** A store whose readAll answers from `pending` (and counts its reads), with checkpoints in memory (each store listed). */
function fakeSource() {
  const pending: Recorded<UntypedEvent>[] = [];
  const checkpoints = new Map<string, string>();
  const source = {
    reads: 0,
    pending,
    stored: [] as string[],
    async readAll() {
      source.reads += 1;
      return pending.splice(0);
    },
    checkpoints: {
      load: async (name: string) => checkpoints.get(name),
      store: async (name: string, position: string) => {
        source.stored.push(position);
        checkpoints.set(name, position);
      },
    } as CheckpointStore,
  };
  return source;
}

/** A store of a subscription that names its event types: readAllOfTypes answers with the queued pages, then with nothing. */
function fakeTypedSource() {
  const checkpoints = new Map<string, string>();
  const source = {
    pages: [] as TypedReadPage[],
    /** The `after` of each read. */
    reads: [] as (string | undefined)[],
    async readAll(): Promise<Recorded<UntypedEvent>[]> {
      throw new Error('a subscription of some event types reads only those');
    },
    async readAllOfTypes({ after }: { after?: string }): Promise<TypedReadPage> {
      source.reads.push(after);
      return source.pages.shift() ?? { events: [], reachedEnd: true };
    },
    checkpoints: {
      load: async (name: string) => checkpoints.get(name),
      store: async (name: string, position: string) => void checkpoints.set(name, position),
    } as CheckpointStore,
    checkpoint: (name: string) => checkpoints.get(name),
  };
  return source;
}

const event = (position: string) => ({ position, type: 'Happened', data: {} }) as unknown as Recorded<UntypedEvent>;

/** A subscription of `source` polling every 100 ms when active, and the positions of each batch it handled. */
function recordingSubscription(
  source: ReturnType<typeof fakeSource>,
  options: { name: string; maxPollIntervalMs?: number; lingerMs?: number },
) {
  const batches: string[][] = [];
  const subscription = new PollingSubscription(
    source,
    { ...options, handler: async (events) => void batches.push(events.map((e) => e.position)), pollIntervalMs: 100 },
    consoleLogger,
  );
  return { subscription, batches };
}

describe('PollingSubscription', () => {
  afterEach(() => vi.useRealTimers());

  it('reads an idle store less and less often, up to the longest pause', async () => {
    vi.useFakeTimers();
    const source = fakeSource();
    const subscription = new PollingSubscription(
      source,
      { name: 'idle', handler: async () => undefined, pollIntervalMs: 100, maxPollIntervalMs: 800 },
      consoleLogger,
    );
    const readsAfter = async (ms: number) => {
      const before = source.reads;
      await vi.advanceTimersByTimeAsync(ms);
      return source.reads - before;
    };
    await vi.advanceTimersByTimeAsync(0);
    // Pauses of 100, 200, 400, then 800 ms each: 1,500 ms hold four reads, the next 8 s ten.
    expect(await readsAfter(1_500)).toBe(4);
    expect(await readsAfter(8_000)).toBe(10);
    await subscription.stop();
  });

  it('reads at once when woken, and polls quickly again after events', async () => {
    vi.useFakeTimers();
    const source = fakeSource();
    const { subscription, batches } = recordingSubscription(source, { name: 'woken', maxPollIntervalMs: 10_000 });
    const handled = () => batches.flat();
    // Idle long enough for the pause to reach its longest.
    await vi.advanceTimersByTimeAsync(30_000);
    source.pending.push(event('p1'));
    subscription.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(handled()).toEqual(['p1']);
    // The pause started again from 100 ms: an event appended elsewhere now is read within 100 ms.
    source.pending.push(event('p2'));
    await vi.advanceTimersByTimeAsync(100);
    expect(handled()).toEqual(['p1', 'p2']);
    await subscription.stop();
  });

  it('with lingerMs, reads the first event after a quiet spell at once, then the appends of the next lingerMs together, whatever woke it', async () => {
    vi.useFakeTimers();
    const source = fakeSource();
    const { subscription, batches } = recordingSubscription(source, { name: 'lingering', lingerMs: 25 });
    await vi.advanceTimersByTimeAsync(1_000);
    source.pending.push(event('p1'));
    subscription.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(batches).toEqual([['p1']]);
    // Three appends, each waking it, within the linger: none is read before it has passed.
    for (const position of ['p2', 'p3', 'p4']) {
      source.pending.push(event(position));
      subscription.wake();
      await vi.advanceTimersByTimeAsync(5);
    }
    const reads = source.reads;
    await vi.advanceTimersByTimeAsync(5);
    expect(batches).toEqual([['p1']]);
    expect(source.reads).toBe(reads);
    await vi.advanceTimersByTimeAsync(5);
    expect(batches).toEqual([['p1'], ['p2', 'p3', 'p4']]);
    // Stopping ends a linger at once.
    source.pending.push(event('p5'));
    subscription.wake();
    let stopped = false;
    const stopping = subscription.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(true);
    await stopping;
  });

  it('keeps reading every 100 ms for two seconds after the last events, in case some were held back', async () => {
    vi.useFakeTimers();
    const source = fakeSource();
    const subscription = new PollingSubscription(
      source,
      { name: 'held', handler: async () => undefined, pollIntervalMs: 100, maxPollIntervalMs: 10_000 },
      consoleLogger,
    );
    await vi.advanceTimersByTimeAsync(30_000);
    source.pending.push(event('p1'));
    subscription.wake();
    await vi.advanceTimersByTimeAsync(0);
    const before = source.reads;
    // Nothing more arrives: a read every 100 ms until two seconds have passed, then fewer and fewer.
    await vi.advanceTimersByTimeAsync(1_900);
    expect(source.reads - before).toBeGreaterThanOrEqual(18);
    const afterWindow = source.reads;
    await vi.advanceTimersByTimeAsync(3_000);
    expect(source.reads - afterWindow).toBeLessThanOrEqual(5);
    await subscription.stop();
  });

  it('stores its checkpoint after every batch by default', async () => {
    vi.useFakeTimers();
    const source = fakeSource();
    const subscription = new PollingSubscription(
      source,
      { name: 'every', handler: async () => undefined, pollIntervalMs: 100 },
      consoleLogger,
    );
    for (const position of ['p1', 'p2', 'p3']) {
      source.pending.push(event(position));
      subscription.wake();
      await vi.advanceTimersByTimeAsync(0);
    }
    expect(source.stored).toEqual(['p1', 'p2', 'p3']);
    await subscription.stop();
  });

  it('with checkpointIntervalMs, stores its checkpoint once an interval, once it has passed with nothing new, and when it stops', async () => {
    vi.useFakeTimers();
    const source = fakeSource();
    const handled: string[] = [];
    const subscription = new PollingSubscription(
      source,
      {
        name: 'sparing',
        handler: async (events) => void handled.push(...events.map((e) => e.position)),
        pollIntervalMs: 100,
        checkpointIntervalMs: 1_000,
      },
      consoleLogger,
    );
    for (const position of ['p1', 'p2', 'p3']) {
      source.pending.push(event(position));
      subscription.wake();
      await vi.advanceTimersByTimeAsync(10);
    }
    // Every batch handled at once; only the first stored, the others within its interval.
    expect(handled).toEqual(['p1', 'p2', 'p3']);
    expect(source.stored).toEqual(['p1']);
    // Nothing new comes, and the interval passes: the last position is stored.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(source.stored).toEqual(['p1', 'p3']);
    source.pending.push(event('p4'));
    subscription.wake();
    await vi.advanceTimersByTimeAsync(10);
    expect(handled).toEqual(['p1', 'p2', 'p3', 'p4']);
    expect(source.stored).toEqual(['p1', 'p3']);
    await subscription.stop();
    expect(source.stored).toEqual(['p1', 'p3', 'p4']);
  });

  it('is woken by an append of one of its event types, not by one of other types only', async () => {
    vi.useFakeTimers();
    const source = fakeTypedSource();
    const subscription = new PollingSubscription(
      source,
      {
        name: 'typed',
        eventTypes: ['Wanted'],
        handler: async () => undefined,
        pollIntervalMs: 100,
        maxPollIntervalMs: 10_000,
      },
      consoleLogger,
    );
    // Idle long enough for the pause to reach its longest.
    await vi.advanceTimersByTimeAsync(30_000);
    const before = source.reads.length;
    subscription.wake(new Set(['Other', 'AnotherOne']));
    await vi.advanceTimersByTimeAsync(0);
    expect(source.reads.length).toBe(before);
    subscription.wake(new Set(['Other', 'Wanted']));
    await vi.advanceTimersByTimeAsync(0);
    expect(source.reads.length).toBe(before + 1);
    await subscription.stop();
  });

  it('moves its checkpoint past what a read looked through without calling the handler, and reads on at once while a read stops early', async () => {
    vi.useFakeTimers();
    const source = fakeTypedSource();
    source.pages.push(
      { events: [], readThrough: 'p1', reachedEnd: false },
      { events: [], readThrough: 'p2', reachedEnd: true },
    );
    const handled: unknown[] = [];
    const subscription = new PollingSubscription(
      source,
      {
        name: 'typed',
        eventTypes: ['Wanted'],
        handler: async (events) => void handled.push(...events),
        pollIntervalMs: 100,
      },
      consoleLogger,
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(source.reads).toEqual([undefined, 'p1']);
    expect(source.checkpoint('typed')).toBe('p2');
    // At its end: the next read waits for the pause, and starts where the last one stopped looking.
    await vi.advanceTimersByTimeAsync(100);
    expect(source.reads).toEqual([undefined, 'p1', 'p2']);
    expect(handled).toEqual([]);
    await subscription.stop();
  });
});

describe('SubscriptionRegistry', () => {
  afterEach(() => vi.useRealTimers());

  it("tells its listeners the types of each of its store's appends, and wakes its subscriptions for another process's", async () => {
    vi.useFakeTimers();
    const registry = new SubscriptionRegistry();
    const source = fakeTypedSource();
    const options = {
      name: 'typed',
      eventTypes: ['Wanted'],
      handler: async () => undefined,
      maxPollIntervalMs: 10_000,
    };
    const subscription = registry.start(source, options, consoleLogger);
    const told: string[][] = [];
    const stopListening = registry.onAppended((types) => told.push([...types]));
    await vi.advanceTimersByTimeAsync(30_000);
    const before = source.reads.length;

    registry.appended(new Set(['Wanted', 'Other']));
    await vi.advanceTimersByTimeAsync(0);
    expect(told).toEqual([['Wanted', 'Other']]);
    expect(source.reads.length).toBe(before + 1);

    // Another process's append: woken as by its own, typed, and not told again (it is not this store's).
    await vi.advanceTimersByTimeAsync(30_000);
    const idle = source.reads.length;
    registry.wakeAll(new Set(['Other']));
    await vi.advanceTimersByTimeAsync(0);
    expect(source.reads.length).toBe(idle);
    registry.wakeAll(new Set(['Wanted']));
    await vi.advanceTimersByTimeAsync(0);
    expect(source.reads.length).toBe(idle + 1);
    expect(told).toHaveLength(1);

    stopListening();
    registry.appended(new Set(['Wanted']));
    expect(told).toHaveLength(1);
    await subscription.stop();
  });
});
