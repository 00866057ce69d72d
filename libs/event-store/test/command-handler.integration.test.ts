import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AggregateStates,
  CommandBatcher,
  createEventStore,
  eventStoreCounters,
  handleCommand,
  handleMultiStreamCommand,
  retryingOnConflict,
  stream,
  streamGroup,
  type Decider,
  type EventStore,
} from '../src';
import { seatReplica, type SeatEvent } from './seat-replica';
import { createTestSchema, uniqueName, type TestSchema } from './test-database';

type CounterEvent = { type: 'Incremented'; data: { by: number } } | { type: 'Opened'; data: { limit: number } };
type CounterCommand = { type: 'Open'; limit: number } | { type: 'Increment' };
interface CounterState {
  open: boolean;
  limit: number;
  value: number;
}

/** A bounded counter: the limit is only safe if every decision sees the latest state. */
const counter: Decider<CounterCommand, CounterEvent, CounterState> = {
  initialState: () => ({ open: false, limit: 0, value: 0 }),
  evolve: (state, event) =>
    event.type === 'Opened'
      ? { ...state, open: true, limit: event.data.limit }
      : { ...state, value: state.value + event.data.by },
  decide: (command, state) => {
    if (command.type === 'Open') {
      if (state.open) throw new Error('already open');
      return [{ type: 'Opened', data: { limit: command.limit } }];
    }
    if (!state.open) throw new Error('not open');
    return state.value < state.limit ? [{ type: 'Incremented', data: { by: 1 } }] : [];
  },
};

/** One schema and store for the whole file: each test works on streams of its own. */
let schema: TestSchema;
let store: EventStore;
beforeAll(async () => {
  schema = await createTestSchema();
  store = await createEventStore({ kind: 'postgres', db: schema.db, schema: schema.schema });
});
afterAll(async () => {
  await store.close();
  await schema.drop();
});

describe('handleCommand', () => {
  it('decides again after a version conflict, so concurrent commands never pass a limit', async () => {
    const stream = uniqueName('counter');
    await handleCommand(store, stream, counter, { type: 'Open', limit: 15 }, { assumeNewStream: true });
    const results = await Promise.all(
      Array.from({ length: 40 }, () => handleCommand(store, stream, counter, { type: 'Increment' })),
    );
    expect(results.filter((r) => r.newEvents.length === 1)).toHaveLength(15);
    const { events, currentVersion } = await store.readStream<CounterEvent>(stream);
    expect(currentVersion).toBe(16);
    expect(events.reduce(counter.evolve, counter.initialState()).value).toBe(15);
  });

  it('with assumeNewStream on a stream that exists, reads it and decides on its real state', async () => {
    const stream = uniqueName('counter');
    await handleCommand(store, stream, counter, { type: 'Open', limit: 1 });
    await expect(
      handleCommand(store, stream, counter, { type: 'Open', limit: 5 }, { assumeNewStream: true }),
    ).rejects.toThrow('already open');
    expect((await store.readStream(stream)).currentVersion).toBe(1);
  });
});

describe('retryingOnConflict', () => {
  it('decides again when another writer got there first, and counts each retry process-wide', async () => {
    const stream = uniqueName('raced');
    const before = eventStoreCounters.versionConflictRetries;
    const result = await retryingOnConflict([stream], 5, async (attempt) => {
      const { currentVersion } = await store.readStream(stream);
      // Another process (it does not take this process's locks) appends between the read and the append, twice.
      if (attempt <= 2) await store.append(stream, [{ type: 'Raced', data: { attempt } }]);
      return store.append(stream, [{ type: 'Won', data: { attempt } }], { expectedVersion: currentVersion });
    });
    expect(result.nextExpectedVersion).toBe(3);
    expect(eventStoreCounters.versionConflictRetries - before).toBe(2);
    expect((await store.readStream(stream)).events.map((e) => e.type)).toEqual(['Raced', 'Raced', 'Won']);
  });
});

describe('appendToStreams', () => {
  it('appends to several streams all or nothing', async () => {
    const [a, b] = [uniqueName('a'), uniqueName('b')];
    await store.append(a, [{ type: 'Opened', data: {} }]);
    const results = await store.appendToStreams([
      { streamName: b, events: [{ type: 'Opened', data: {} }], expectedVersion: 0 },
      {
        streamName: a,
        events: [
          { type: 'Touched', data: {} },
          { type: 'Touched', data: {} },
        ],
        expectedVersion: 1,
      },
    ]);
    expect(results.map((r) => r.nextExpectedVersion)).toEqual([1, 3]);
    // a is no longer at version 1: nothing of this append may be stored, not even b's event.
    await expect(
      store.appendToStreams([
        { streamName: b, events: [{ type: 'Touched', data: {} }], expectedVersion: 1 },
        { streamName: a, events: [{ type: 'Touched', data: {} }], expectedVersion: 1 },
      ]),
    ).rejects.toThrow(/expected 1/);
    expect((await store.readStream(b)).currentVersion).toBe(1);
    expect((await store.readStream(a)).currentVersion).toBe(3);
  });

  it('never deadlocks when concurrent appends share streams in different orders', async () => {
    const [a, b] = [uniqueName('a'), uniqueName('b')];
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        store.appendToStreams(
          (i % 2 === 0 ? [a, b] : [b, a]).map((streamName) => ({
            streamName,
            events: [{ type: 'Touched', data: { i } }],
            expectedVersion: 'any' as const,
          })),
        ),
      ),
    );
    expect((await store.readStream(a)).currentVersion).toBe(30);
    expect((await store.readStream(b)).currentVersion).toBe(30);
  });
});

describe('AggregateStates', () => {
  it("folds only the events after the version it holds, including other writers' appends", async () => {
    const stream = uniqueName('counted');
    let folded = 0;
    const states = new AggregateStates<number>(
      (count) => {
        folded++;
        return count + 1;
      },
      () => 0,
    );
    await store.append(stream, [
      { type: 'Counted', data: {} },
      { type: 'Counted', data: {} },
    ]);
    expect(await states.load(store, stream)).toEqual({ version: 2, state: 2 });
    // Another process appends: the next load reads and folds just that.
    await store.append(stream, [{ type: 'Counted', data: {} }], { expectedVersion: 2 });
    expect(await states.load(store, stream)).toEqual({ version: 3, state: 3 });
    expect(await states.load(store, stream)).toEqual({ version: 3, state: 3 });
    expect(folded).toBe(3);
    expect(await states.load(store, uniqueName('empty'))).toEqual({ version: 0, state: 0 });
  });
});

describe('AggregateStates, bounded', () => {
  it('forgets the least recently loaded or appended stream beyond its maximum, appended-only streams included', () => {
    const states = new AggregateStates<number>(
      (count) => count + 1,
      () => 0,
      { maxEntries: 2 },
    );
    states.remember('a', { version: 1, state: 1 });
    states.remember('b', { version: 1, state: 1 });
    states.catchUp('a', { currentVersion: 2, events: [] });
    states.remember('c', { version: 1, state: 1 });
    expect(states.kept('b')).toBeUndefined();
    expect(states.kept('a')).toEqual({ version: 2, state: 1 });
    expect(states.kept('c')).toEqual({ version: 1, state: 1 });
  });
});

describe('CommandBatcher', () => {
  it('decides concurrent commands on one aggregate one after another, commits them in batches, and keeps a limit', async () => {
    const name = uniqueName('bounded');
    const states = new AggregateStates<number, { type: 'Taken'; data: object }>(
      (count) => count + 1,
      () => 0,
    );
    const batcher = new CommandBatcher(store);
    const take = () =>
      batcher.submit(name, {
        streams: { bounded: stream(name, states) },
        decide: ({ bounded }) => {
          if (bounded >= 30) throw new Error('none left');
          return { bounded: [{ type: 'Taken', data: {} }] };
        },
      });
    const results = await Promise.allSettled(Array.from({ length: 100 }, take));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(30);
    expect(
      results
        .filter((r) => r.status === 'rejected')
        .every((r) => (r as PromiseRejectedResult).reason.message === 'none left'),
    ).toBe(true);
    const { events, currentVersion } = await store.readStream(name);
    expect(currentVersion).toBe(30);
    // Fewer transactions than commands: the events of one batch share a transaction id.
    const transactions = new Set(events.map((event) => event.position.split(':')[0]));
    expect(transactions.size).toBeLessThan(30);
  });
});

describe('CommandBatcher deciding on kept states', () => {
  const SEATS = 10;
  const replica = () => seatReplica(store, SEATS);

  it('never grants past the limit when another process appends behind a kept state, and decides a refusal again on the stream as it stands', async () => {
    const name = uniqueName('seats');
    const [a, b] = [replica(), replica()];
    // Both keep a state of the stream; then each takes while the other appends behind it.
    await a.take(name);
    await b.take(name);
    const retriesBefore = eventStoreCounters.versionConflictRetries;
    const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? a : b).take(name)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(SEATS - 2);
    expect((await store.readStream(name)).currentVersion).toBe(SEATS);
    expect(eventStoreCounters.versionConflictRetries).toBeGreaterThan(retriesBefore);

    // a's kept state says full; b gives a seat back behind it: a's take is not refused on its kept state.
    await expect(a.take(name)).rejects.toThrow('none left');
    await b.release(name);
    await expect(a.take(name)).resolves.toBeDefined();
    await expect(b.take(name)).rejects.toThrow('none left');
    // b has just read the stream: its refusal is confirmed by a read that finds nothing new, not decided again.
    const decisionsBefore = b.decisions();
    await expect(b.take(name)).rejects.toThrow('none left');
    expect(b.decisions() - decisionsBefore).toBe(1);
    const { events } = await store.readStream<SeatEvent>(name);
    expect(events.reduce((taken, e) => (e.type === 'Taken' ? taken + 1 : taken - 1), 0)).toBe(SEATS);
  });
});

describe('CommandBatcher deciding on kept states that presume unknown streams new', () => {
  const SEATS = 3;

  it('appends to a stream it has never seen without reading it, and never grants on a stream that existed after all', async () => {
    let reads = 0;
    const counted = new Proxy(store, {
      get: (target, property, receiver) =>
        property === 'readStream'
          ? (...args: Parameters<EventStore['readStream']>) => {
              reads += 1;
              return target.readStream(...args);
            }
          : Reflect.get(target, property, receiver),
    });
    const presuming = seatReplica(counted, SEATS, { presumeNew: true });
    const fresh = uniqueName('seats');
    await presuming.take(fresh);
    await presuming.take(fresh);
    expect(reads).toBe(0);
    expect((await store.readStream(fresh)).currentVersion).toBe(2);

    // Another process fills a pool this one has never seen: presumed empty, the take's append
    // conflicts, and it is decided again on the stream as it stands (read under its lock): refused.
    const full = uniqueName('seats');
    const other = seatReplica(store, SEATS);
    for (let i = 0; i < SEATS; i++) await other.take(full);
    const retriesBefore = eventStoreCounters.versionConflictRetries;
    await expect(presuming.take(full)).rejects.toThrow('none left');
    expect(eventStoreCounters.versionConflictRetries).toBe(retriesBefore + 1);
    expect((await store.readStream(full)).currentVersion).toBe(SEATS);
  });
});

type TreasuryEvent = { type: 'Funded'; data: { amount: number } } | { type: 'PaidOut'; data: { amount: number } };
type AccountEvent = { type: 'Credited'; data: { amount: number; from: string } };

/** A treasury paying the same amount to several accounts in one decision: typed by role, accounts as a group. */
function payroll() {
  const treasuries = new AggregateStates<number, TreasuryEvent>(
    (balance, event) => (event.type === 'Funded' ? balance + event.data.amount : balance - event.data.amount),
    () => 0,
  );
  const accounts = new AggregateStates<number, AccountEvent>(
    (balance, event) => balance + event.data.amount,
    () => 0,
  );
  const payOut = (treasury: string, recipients: string[], amount: number) => ({
    streams: {
      treasury: stream(treasury, treasuries),
      accounts: streamGroup(
        recipients.map((id) => [id, `${treasury}-account-${id}`] as const),
        accounts,
      ),
    },
    decide: (states: { treasury: number; accounts: ReadonlyMap<string, number> }) => {
      const total = amount * states.accounts.size;
      if (states.treasury < total) throw new Error(`only ${states.treasury} left`);
      const credited = new Map(
        [...states.accounts.keys()].map((id) => [
          id,
          [{ type: 'Credited' as const, data: { amount, from: treasury } }],
        ]),
      );
      return { treasury: [{ type: 'PaidOut' as const, data: { amount: total } }], accounts: credited };
    },
  });
  return { treasuries, accounts, payOut };
}

describe('handleMultiStreamCommand, typed by role', () => {
  it("decides on each role's state (a group's by key) and appends each role's events to its streams, all or nothing", async () => {
    const treasury = uniqueName('treasury');
    const { payOut } = payroll();
    await store.append(treasury, [{ type: 'Funded', data: { amount: 10 } }]);

    const decided = await handleMultiStreamCommand(store, payOut(treasury, ['a', 'b'], 3));
    expect(decided.treasury).toEqual([{ type: 'PaidOut', data: { amount: 6 } }]);
    expect([...decided.accounts!.keys()]).toEqual(['a', 'b']);
    expect((await store.readStream(treasury)).currentVersion).toBe(2);
    expect((await store.readStream<AccountEvent>(`${treasury}-account-b`)).events.map((e) => e.data)).toEqual([
      { amount: 3, from: treasury },
    ]);

    // 4 left: paying 3 to two more accounts is refused, and none of them is credited.
    await expect(handleMultiStreamCommand(store, payOut(treasury, ['c', 'd'], 3))).rejects.toThrow('only 4 left');
    expect((await store.readStream(`${treasury}-account-c`)).currentVersion).toBe(0);
    expect((await store.readStream(treasury)).currentVersion).toBe(2);
  });

  it('refuses a decision that names a key outside its group', async () => {
    const treasury = uniqueName('treasury');
    const { payOut } = payroll();
    await store.append(treasury, [{ type: 'Funded', data: { amount: 10 } }]);
    const decision = payOut(treasury, ['a'], 1);
    const stray = { ...decision, decide: () => ({ accounts: new Map([['z', []]]) }) };
    await expect(handleMultiStreamCommand(store, stray)).rejects.toThrow(/names z, not one of accounts/);
  });

  it('through the CommandBatcher: each command resolves with its own decision, and the treasury never goes below zero', async () => {
    const treasury = uniqueName('treasury');
    const { payOut } = payroll();
    await store.append(treasury, [{ type: 'Funded', data: { amount: 20 } }]);
    const batcher = new CommandBatcher(store);
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        batcher.submit(treasury, payOut(treasury, [`p${i}`, `q${i}`], 3)).catch((error: Error) => error.message),
      ),
    );
    const paid = outcomes.filter((outcome) => typeof outcome !== 'string');
    expect(paid).toHaveLength(3);
    for (const decided of paid) {
      expect(decided.treasury).toEqual([{ type: 'PaidOut', data: { amount: 6 } }]);
      expect(decided.accounts?.size).toBe(2);
    }
    expect(outcomes.filter((outcome) => typeof outcome === 'string')).toEqual(Array(7).fill('only 2 left'));
    const { events } = await store.readStream<TreasuryEvent>(treasury);
    expect(
      events.reduce((balance, e) => (e.type === 'Funded' ? balance + e.data.amount : balance - e.data.amount), 0),
    ).toBe(2);
  });
});
