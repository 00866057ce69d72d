import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defineProjection,
  ExpectedVersionConflictError,
  projectionCheckpointName,
  runProjection,
  type EventStore,
  type Recorded,
  type RecordedEvent,
} from '../src';
import { eventually, uniqueName, within } from './test-database';

export interface ContractSubject {
  store: EventStore;
  /** The PostgreSQL database the store keeps its checkpoints (and projections their views) in. */
  db: Kysely<any>;
  cleanup(): Promise<void>;
}

/** Every event after `after`, paging with a small limit so that resumption is exercised too. */
async function readAllFrom(store: EventStore, after?: string, limit = 7): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (;;) {
    const page = await store.readAll({ after, limit });
    if (page.length === 0) return events;
    expect(page.length).toBeLessThanOrEqual(limit);
    events.push(...page);
    after = page[page.length - 1].position;
  }
}

const ofStreams = (events: RecordedEvent[], prefix: string) => events.filter((e) => e.streamName.startsWith(prefix));

async function expectConflict(promise: Promise<unknown>, expected: { expected: unknown; actual: number }) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ExpectedVersionConflictError);
  expect(error).toMatchObject(expected);
}

/**
 * What every adapter must do. Streams get unique names, so the suite can share a store (or a
 * server) with other tests and filters readAll down to its own streams.
 */
export function describeEventStoreContract(name: string, factory: () => Promise<ContractSubject>): void {
  describe(`EventStore contract: ${name}`, () => {
    let subject: ContractSubject;
    let store: EventStore;
    let db: Kysely<any>;
    beforeAll(async () => {
      subject = await factory();
      store = subject.store;
      db = subject.db;
    });
    afterAll(async () => {
      await subject?.cleanup();
    });

    it('appends to a stream and reads it back', async () => {
      const stream = uniqueName('license');
      const first = await store.append(stream, [
        { type: 'LicenseCreated', data: { name: 'Windows Server' }, metadata: { correlationId: 'c-1' } },
        { type: 'LicenseActivated', data: { at: 1 } },
      ]);
      expect(first.nextExpectedVersion).toBe(2);
      const second = await store.append(stream, [{ type: 'LicenseConsumed', data: { units: 3 } }]);
      expect(second.nextExpectedVersion).toBe(3);
      expect(second.position > first.position).toBe(true);

      const { currentVersion, events } = await store.readStream(stream);
      expect(currentVersion).toBe(3);
      expect(events.map((e) => [e.streamVersion, e.type])).toEqual([
        [1, 'LicenseCreated'],
        [2, 'LicenseActivated'],
        [3, 'LicenseConsumed'],
      ]);
      expect(events[0]).toMatchObject({
        streamName: stream,
        data: { name: 'Windows Server' },
        metadata: { correlationId: 'c-1' },
      });
      // The store stamps the schema version of the event's data (1 for a type without upcasters).
      expect(events[0].metadata).toEqual({ correlationId: 'c-1', schemaVersion: 1 });
      expect(events[1].metadata).toEqual({ schemaVersion: 1 });
      expect(events[0].eventId).toMatch(/^[0-9a-f-]{36}$/);
      expect(new Set(events.map((e) => e.eventId)).size).toBe(3);
      expect(events[0].recordedAt).toBeInstanceOf(Date);
      expect(events[2].position).toBe(second.position);

      expect(await store.readStream(uniqueName('missing'))).toEqual({ currentVersion: 0, events: [] });
      await expect(store.append(stream, [])).rejects.toThrow(TypeError);
    });

    it('enforces the expected version: exact, no_stream (or 0) and any', async () => {
      const stream = uniqueName('expected');
      await store.append(stream, [{ type: 'A', data: {} }], { expectedVersion: 'no_stream' });
      await expectConflict(store.append(stream, [{ type: 'B', data: {} }], { expectedVersion: 'no_stream' }), {
        expected: 'no_stream',
        actual: 1,
      });
      await expectConflict(store.append(stream, [{ type: 'B', data: {} }], { expectedVersion: 0 }), {
        expected: 0,
        actual: 1,
      });
      await expectConflict(store.append(stream, [{ type: 'B', data: {} }], { expectedVersion: 2 }), {
        expected: 2,
        actual: 1,
      });

      expect(
        (
          await store.append(
            stream,
            [
              { type: 'B', data: {} },
              { type: 'C', data: {} },
            ],
            { expectedVersion: 1 },
          )
        ).nextExpectedVersion,
      ).toBe(3);
      expect(
        (await store.append(stream, [{ type: 'D', data: {} }], { expectedVersion: 'any' })).nextExpectedVersion,
      ).toBe(4);
      expect((await store.append(stream, [{ type: 'E', data: {} }])).nextExpectedVersion).toBe(5);
      await expectConflict(store.append(stream, [{ type: 'F', data: {} }], { expectedVersion: 4 }), {
        expected: 4,
        actual: 5,
      });

      const fresh = uniqueName('expected-fresh');
      await expectConflict(store.append(fresh, [{ type: 'A', data: {} }], { expectedVersion: 3 }), {
        expected: 3,
        actual: 0,
      });
      expect((await store.append(fresh, [{ type: 'A', data: {} }], { expectedVersion: 0 })).nextExpectedVersion).toBe(
        1,
      );
      expect(
        (await store.append(uniqueName('expected-any'), [{ type: 'A', data: {} }], { expectedVersion: 'any' }))
          .nextExpectedVersion,
      ).toBe(1);

      // Rejected appends wrote nothing.
      expect((await store.readStream(stream)).events.map((e) => e.type)).toEqual(['A', 'B', 'C', 'D', 'E']);
      expect((await store.readStream(fresh)).currentVersion).toBe(1);
    });

    it('reads all streams in order and resumes exactly after a position', async () => {
      const prefix = uniqueName('all');
      const appended: string[] = [];
      for (const [stream, type] of [
        ['a', 'One'],
        ['b', 'Two'],
        ['a', 'Three'],
        ['c', 'Four'],
        ['b', 'Five'],
      ]) {
        await store.append(`${prefix}-${stream}`, [{ type, data: {} }]);
        appended.push(type);
      }
      const middle = await store.append(`${prefix}-d`, [
        { type: 'Six', data: {} },
        { type: 'Seven', data: {} },
      ]);
      await store.append(`${prefix}-a`, [{ type: 'Eight', data: {} }]);
      appended.push('Six', 'Seven', 'Eight');

      const everything = await readAllFrom(store);
      const positions = everything.map((e) => e.position);
      expect(positions).toEqual([...positions].sort());
      expect(new Set(positions).size).toBe(positions.length);
      const mine = ofStreams(everything, prefix);
      expect(mine.map((e) => e.type)).toEqual(appended);
      expect(everything.some((e) => e.streamName.startsWith('$') || e.type.startsWith('$'))).toBe(false);

      const afterMiddle = ofStreams(await readAllFrom(store, middle.position, 2), prefix);
      expect(afterMiddle.map((e) => e.type)).toEqual(['Eight']);
      const afterThird = ofStreams(await readAllFrom(store, mine[2].position, 1), prefix);
      expect(afterThird.map((e) => e.type)).toEqual(appended.slice(3));
      expect((await store.headPosition())! >= mine[mine.length - 1].position).toBe(true);
    });

    it('delivers to a durable subscription exactly once across a stop and restart', async () => {
      const prefix = uniqueName('sub');
      const name = uniqueName('subscriber');
      const seen: RecordedEvent[] = [];
      const subscribe = () =>
        store.subscribe({
          name,
          batchSize: 2,
          handler: async (events) => {
            seen.push(...ofStreams(events, prefix));
          },
        });
      for (let i = 1; i <= 3; i++) await store.append(`${prefix}-x`, [{ type: 'Tick', data: { i } }]);
      const first = subscribe();
      await eventually(() => seen.length === 3);
      await first.stop();
      const checkpoint = await store.checkpoints.load(name);
      expect(checkpoint! >= seen[2].position).toBe(true);

      for (let i = 4; i <= 5; i++) await store.append(`${prefix}-y`, [{ type: 'Tick', data: { i } }]);
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(seen).toHaveLength(3);

      const second = subscribe();
      await eventually(() => seen.length >= 5);
      // Give a duplicate delivery the chance to show up before judging.
      await new Promise((resolve) => setTimeout(resolve, 250));
      await second.stop();
      expect(seen.map((e) => e.data.i)).toEqual([1, 2, 3, 4, 5]);
    });

    it('delivers to a subscription of some event types exactly those, in order, moves its checkpoint past the others and resumes after a restart', async () => {
      const prefix = uniqueName('typed');
      const [wanted, alsoWanted, other] = ['Wanted', 'AlsoWanted', 'Other'].map(uniqueName);
      const name = uniqueName('typed-subscriber');
      const seen: RecordedEvent[] = [];
      const subscribe = () =>
        store.subscribe({
          name,
          eventTypes: [wanted, alsoWanted],
          batchSize: 2,
          handler: async (events) => {
            seen.push(...events);
          },
        });
      await store.append(`${prefix}-a`, [{ type: other, data: {} }]);
      await store.append(`${prefix}-a`, [
        { type: wanted, data: { i: 1 } },
        { type: other, data: {} },
      ]);
      await store.append(`${prefix}-b`, [{ type: other, data: {} }]);
      await store.append(`${prefix}-b`, [{ type: alsoWanted, data: { i: 2 } }]);
      await store.append(`${prefix}-a`, [{ type: wanted, data: { i: 3 } }]);
      const first = subscribe();
      await eventually(() => seen.length === 3);
      // Only others from here on: the checkpoint still moves past them.
      let lastOther = '';
      for (let i = 0; i < 3; i++) lastOther = (await store.append(`${prefix}-c`, [{ type: other, data: {} }])).position;
      await eventually(async () => ((await store.checkpoints.load(name)) ?? '') >= lastOther);
      await first.stop();
      expect(seen.map((e) => e.data.i)).toEqual([1, 2, 3]);

      await store.append(`${prefix}-c`, [
        { type: other, data: {} },
        { type: alsoWanted, data: { i: 4 } },
      ]);
      await store.append(`${prefix}-b`, [{ type: other, data: {} }]);
      await store.append(`${prefix}-a`, [{ type: wanted, data: { i: 5 } }]);
      const second = subscribe();
      await eventually(() => seen.length >= 5);
      // Give a duplicate delivery the chance to show up before judging.
      await new Promise((resolve) => setTimeout(resolve, 250));
      await second.stop();
      expect(seen.map((e) => [e.type, e.data.i])).toEqual([
        [wanted, 1],
        [alsoWanted, 2],
        [wanted, 3],
        [alsoWanted, 4],
        [wanted, 5],
      ]);
      const positions = seen.map((e) => e.position);
      expect(positions).toEqual([...positions].sort());
    });

    it('reads the events of some types page by page, each page saying how far it looked', async () => {
      const prefix = uniqueName('of-types');
      const [wanted, other] = ['Wanted', 'Other'].map(uniqueName);
      const start = await store.headPosition();
      for (let i = 1; i <= 5; i++) {
        await store.append(`${prefix}-${i % 2}`, [
          { type: other, data: {} },
          { type: wanted, data: { i } },
          { type: other, data: {} },
        ]);
      }
      const last = await store.append(`${prefix}-0`, [{ type: other, data: {} }]);
      const read: RecordedEvent[] = [];
      let after = start;
      // Until it has looked through the last append (a transaction elsewhere on the server may hold it back).
      await eventually(async () => {
        for (;;) {
          const page = await store.readAllOfTypes({ types: [wanted], after, limit: 2 });
          expect(page.events.length).toBeLessThanOrEqual(2);
          if (page.readThrough === undefined) return (after ?? '') >= last.position;
          // A full page stops at its last event: the next one must not pass a later event of the type.
          if (page.events.length === 2)
            expect(page).toMatchObject({ readThrough: page.events[1].position, reachedEnd: false });
          expect(page.readThrough > (after ?? '')).toBe(true);
          read.push(...page.events);
          after = page.readThrough;
        }
      });
      expect(read.map((e) => [e.type, e.data.i, e.streamName])).toEqual(
        [1, 2, 3, 4, 5].map((i) => [wanted, i, `${prefix}-${i % 2}`]),
      );
      // The last read looked through the trailing others: read again from there, nothing is left to look at.
      expect(after! >= last.position).toBe(true);
      expect(await store.readAllOfTypes({ types: [wanted], after })).toEqual({ events: [], reachedEnd: true });
    });

    it('lets exactly one of 50 concurrent appenders at the same expected version win, round after round', async () => {
      const stream = uniqueName('contended');
      for (let round = 0; round < 5; round++) {
        const results = await Promise.allSettled(
          Array.from({ length: 50 }, (_, writer) =>
            store.append(stream, [{ type: 'Claimed', data: { round, writer } }], {
              expectedVersion: round === 0 ? 'no_stream' : round,
            }),
          ),
        );
        const winners = results.filter((r) => r.status === 'fulfilled');
        expect(winners).toHaveLength(1);
        for (const r of results) {
          if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ExpectedVersionConflictError);
        }
        expect((winners[0] as PromiseFulfilledResult<{ nextExpectedVersion: number }>).value.nextExpectedVersion).toBe(
          round + 1,
        );
      }
      const { currentVersion, events } = await store.readStream(stream);
      expect(currentVersion).toBe(5);
      expect(events.map((e) => e.data.round)).toEqual([0, 1, 2, 3, 4]);
    });

    it('reads a stream after a version: only the later events, and the version the stream is at', async () => {
      const stream = uniqueName('after');
      await store.append(stream, [
        { type: 'A', data: {} },
        { type: 'B', data: {} },
        { type: 'C', data: {} },
      ]);
      const after = async (afterVersion: number) => {
        const { currentVersion, events } = await store.readStream(stream, { afterVersion });
        return { currentVersion, read: events.map((e) => [e.streamVersion, e.type]) };
      };
      expect(await after(0)).toEqual({
        currentVersion: 3,
        read: [
          [1, 'A'],
          [2, 'B'],
          [3, 'C'],
        ],
      });
      expect(await after(2)).toEqual({ currentVersion: 3, read: [[3, 'C']] });
      // Nothing newer: the caller's version is the current one.
      expect(await after(3)).toEqual({ currentVersion: 3, read: [] });
      await store.append(stream, [{ type: 'D', data: {} }], { expectedVersion: 3 });
      expect(await after(3)).toEqual({ currentVersion: 4, read: [[4, 'D']] });
      expect(await store.readStream(uniqueName('missing'), { afterVersion: 0 })).toEqual({
        currentVersion: 0,
        events: [],
      });
    });

    it('appends to several streams, each at its expected version; a conflict is atomic where the adapter says so', async () => {
      const [a, b, c] = [uniqueName('multi-a'), uniqueName('multi-b'), uniqueName('multi-c')];
      await store.append(b, [{ type: 'Opened', data: {} }]);
      const results = await store.appendToStreams([
        { streamName: a, events: [{ type: 'Opened', data: {} }], expectedVersion: 'no_stream' },
        {
          streamName: b,
          events: [
            { type: 'Touched', data: {} },
            { type: 'Touched', data: {} },
          ],
          expectedVersion: 1,
        },
      ]);
      // Results in the order of the appends given.
      expect(results.map((r) => r.nextExpectedVersion)).toEqual([1, 3]);
      expect((await store.readStream(b)).events.map((e) => e.type)).toEqual(['Opened', 'Touched', 'Touched']);

      // c is new and comes first; b is no longer at version 1.
      const conflict = store.appendToStreams([
        { streamName: c, events: [{ type: 'Opened', data: {} }], expectedVersion: 0 },
        { streamName: b, events: [{ type: 'Touched', data: {} }], expectedVersion: 1 },
      ]);
      await expectConflict(conflict, { expected: 1, actual: 3 });
      expect((await store.readStream(b)).currentVersion).toBe(3);
      // All or nothing (PostgreSQL); otherwise the appends before the conflict stay (EventStoreDB).
      expect((await store.readStream(c)).currentVersion).toBe(store.capabilities.atomicMultiStreamAppends ? 0 : 1);
      await expect(store.appendToStreams([{ streamName: a, events: [] }])).rejects.toThrow(TypeError);
    });

    it('keeps checkpoints: load, store (again), reset, and a lock that makes a second holder wait', async () => {
      const name = uniqueName('checkpoint');
      const checkpoints = store.checkpoints;
      expect(await checkpoints.load(name)).toBeUndefined();
      const first = await store.append(uniqueName('cp'), [{ type: 'A', data: {} }]);
      const second = await store.append(uniqueName('cp'), [{ type: 'B', data: {} }]);
      await checkpoints.store(name, first.position);
      expect(await checkpoints.load(name)).toBe(first.position);
      await checkpoints.store(name, second.position);
      expect(await checkpoints.load(name)).toBe(second.position);
      await checkpoints.reset(name);
      expect(await checkpoints.load(name)).toBeUndefined();

      // Stored in the caller's transaction: rolled back with it.
      await db
        .transaction()
        .execute(async (trx) => {
          await checkpoints.store(name, first.position, trx);
          throw new Error('roll back');
        })
        .catch(() => undefined);
      expect(await checkpoints.load(name)).toBeUndefined();

      let releaseFirst!: () => void;
      const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
      let firstLocked!: () => void;
      const locked = new Promise<void>((resolve) => (firstLocked = resolve));
      const holder = db.transaction().execute(async (trx) => {
        expect(await checkpoints.lock(name, trx)).toBeUndefined();
        firstLocked();
        await firstHolds;
        await checkpoints.store(name, second.position, trx);
      });
      await locked;
      let secondSaw: string | undefined | 'waiting' = 'waiting';
      const waiter = db.transaction().execute(async (trx) => {
        secondSaw = await checkpoints.lock(name, trx);
      });
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(secondSaw).toBe('waiting');
      releaseFirst();
      await within(Promise.all([holder, waiter]), 5_000, 'the two lock holders');
      // The second holder got the lock once the first committed, and saw what it stored.
      expect(secondSaw).toBe(second.position);
    });

    it('catches a projection up from its checkpoint: its event types only, in order, each once', async () => {
      type Catalogue =
        | { type: 'ProductAdded'; data: { sku: string } }
        | { type: 'ProductRemoved'; data: { sku: string } }
        | { type: 'PriceChanged'; data: { sku: string } };
      const prefix = uniqueName('catalogue');
      const handled: Recorded<Catalogue>[] = [];
      const projection = defineProjection<Catalogue>()({
        name: uniqueName('products'),
        eventTypes: ['ProductAdded', 'ProductRemoved'],
        handle: async (events) => void handled.push(...events.filter((e) => e.streamName.startsWith(prefix))),
        truncate: async () => {},
      });
      const mine = () => handled.map((e) => `${e.type}:${e.data.sku}`);
      await store.append(`${prefix}-1`, [
        { type: 'ProductAdded', data: { sku: 'a' } },
        { type: 'PriceChanged', data: { sku: 'a' } },
      ]);
      await store.append(`${prefix}-2`, [{ type: 'ProductAdded', data: { sku: 'b' } }]);
      await runProjection(store, db, projection, { batchSize: 2 });
      expect(mine()).toEqual(['ProductAdded:a', 'ProductAdded:b']);

      // From the checkpoint: only what came since, up to a position given.
      const last = await store.append(`${prefix}-1`, [{ type: 'ProductRemoved', data: { sku: 'a' } }]);
      await runProjection(store, db, projection, { until: last.position });
      expect(mine()).toEqual(['ProductAdded:a', 'ProductAdded:b', 'ProductRemoved:a']);
      expect((await store.checkpoints.load(projectionCheckpointName(projection)))! >= last.position).toBe(true);
      await runProjection(store, db, projection);
      expect(mine()).toHaveLength(3);
    });

    it('shows a tailing reader every event of 20 concurrent writers once, in real-time commit order', async () => {
      const prefix = uniqueName('tail');
      const WRITERS = 20;
      const APPENDS = 25;
      // A logical clock: an append "happened before" another if it was acknowledged before that one started.
      let clock = 0;
      const appends = new Map<string, { started: number; acknowledged: number }>();
      const key = (writer: number, seq: number) => `${writer}/${seq}`;

      const startPosition = await store.headPosition();
      const received: RecordedEvent[] = [];
      let after = startPosition;
      const reader = (async () => {
        const deadline = Date.now() + 10_000;
        while (received.length < WRITERS * APPENDS && Date.now() < deadline) {
          const page = await store.readAll({ after, limit: 20 });
          if (page.length === 0) await new Promise((resolve) => setImmediate(resolve));
          else after = page[page.length - 1].position;
          received.push(...ofStreams(page, prefix));
        }
      })();
      await Promise.all(
        Array.from({ length: WRITERS }, async (_, writer) => {
          for (let seq = 0; seq < APPENDS; seq++) {
            const started = ++clock;
            await store.append(`${prefix}-${writer}`, [{ type: 'Written', data: { writer, seq } }]);
            appends.set(key(writer, seq), { started, acknowledged: ++clock });
          }
        }),
      );
      await reader;
      // Nothing may turn up after the reader has seen everything (a late duplicate, say).
      await new Promise((resolve) => setTimeout(resolve, 100));
      received.push(...ofStreams(await readAllFrom(store, after), prefix));

      const order = received.map((e) => key(e.data.writer as number, e.data.seq as number));
      expect(new Set(order).size).toBe(order.length);
      expect(order.length).toBe(WRITERS * APPENDS);
      for (let writer = 0; writer < WRITERS; writer++) {
        const seqs = received.filter((e) => e.data.writer === writer).map((e) => e.data.seq);
        expect(seqs).toEqual(Array.from({ length: APPENDS }, (_, i) => i));
      }
      const index = new Map(order.map((k, i) => [k, i]));
      const violations: string[] = [];
      for (const [a, timesA] of appends) {
        for (const [b, timesB] of appends) {
          if (timesA.acknowledged < timesB.started && index.get(a)! > index.get(b)!)
            violations.push(`${a} before ${b}`);
        }
      }
      expect(violations).toEqual([]);
    });
  });
}
