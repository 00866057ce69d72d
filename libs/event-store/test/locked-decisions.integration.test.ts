import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEventStore,
  eventStoreCounters,
  ExpectedVersionConflictError,
  projectionCheckpointName,
  type EventStore,
  type Guard,
  type Projection,
} from '../src';
import { seatReplica, type SeatEvent } from './seat-replica';
import { createTestSchema, openTestPool, uniqueName, within, type TestSchema } from './test-database';

/**
 * Two stores on one schema, each on a pool of its own, as two replicas of a service are: the
 * second pool's sessions are other sessions of the server, so the stores' locks exclude each other.
 */
let schema: TestSchema;
let otherPool: Kysely<any>;
let stores: [EventStore, EventStore];
beforeAll(async () => {
  schema = await createTestSchema();
  otherPool = openTestPool(10);
  stores = [
    await createEventStore({ kind: 'postgres', db: schema.db, schema: schema.schema }),
    await createEventStore({ kind: 'postgres', db: otherPool, schema: schema.schema }),
  ];
});
afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await otherPool.destroy();
  await schema.drop();
});

type NumberedEvent = { type: 'Numbered'; data: { after: number } };

/**
 * Under the stream's lock, appends an event numbered with the version it was decided on, at that
 * version: without the lock, deciders that read the same version would all but one fail its check.
 */
const appendNumbered = (store: EventStore, name: string) =>
  store.decideUnderLock([{ streamName: name, afterVersion: 0 }], (read) => {
    const { currentVersion } = read.get(name)!;
    return [
      {
        streamName: name,
        events: [{ type: 'Numbered', data: { after: currentVersion } }],
        expectedVersion: currentVersion,
      },
    ];
  });

describe('decideUnderLock', () => {
  it('lets deciders on two pools take turns on a stream: none conflicts, and each decides on every event before it', async () => {
    const name = uniqueName('numbered');
    const results = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => appendNumbered(stores[i % 2], name)));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const { events } = await stores[0].readStream<NumberedEvent>(name);
    expect(events.map((event) => event.data.after)).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it('reads only the events after the version given, appends nothing when nothing is decided, and rolls back a decision that throws', async () => {
    const name = uniqueName('numbered');
    await stores[0].append(
      name,
      [1, 2, 3].map(() => ({ type: 'Numbered', data: { after: 0 } })),
    );
    let seen: number[] = [];
    const nothing = await stores[1].decideUnderLock([{ streamName: name, afterVersion: 2 }], (read) => {
      seen = read.get(name)!.events.map((event) => event.streamVersion);
      return [];
    });
    expect([seen, nothing]).toEqual([[3], []]);
    await expect(
      stores[1].decideUnderLock([{ streamName: name, afterVersion: 3 }], () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    // The lock went with the transaction: the other store takes it at once.
    await stores[0].decideUnderLock([{ streamName: name, afterVersion: 3 }], () => [
      { streamName: name, events: [{ type: 'Numbered', data: { after: 3 } }], expectedVersion: 3 },
    ]);
    expect((await stores[0].readStream(name)).currentVersion).toBe(4);
  });

  it('still fails the version check when a writer that takes no lock moved the stream', async () => {
    const name = uniqueName('numbered');
    await expect(
      stores[0].decideUnderLock([{ streamName: name, afterVersion: 0 }], () => [
        { streamName: name, events: [{ type: 'Numbered', data: { after: 1 } }], expectedVersion: 1 },
      ]),
    ).rejects.toThrow(ExpectedVersionConflictError);
    expect((await stores[0].readStream(name)).currentVersion).toBe(0);
  });
});

describe('decideUnderLock with guards and inline projections', () => {
  it("runs them in its transaction, the first decision and the later ones (whose first statement takes the projections' shared locks)", async () => {
    const table = uniqueName('numbered_view').replace('-', '_');
    await sql`CREATE TABLE ${sql.id(schema.schema, table)} (stream_name text, version bigint)`.execute(schema.db);
    const view: Projection = {
      name: `${table}-projection`,
      eventTypes: ['Numbered'],
      handle: async (events, trx) => {
        for (const event of events)
          await trx
            .withSchema(schema.schema)
            .insertInto(table)
            .values({ stream_name: event.streamName, version: event.streamVersion })
            .execute();
      },
      truncate: async (db) => void (await db.withSchema(schema.schema).deleteFrom(table).execute()),
    };
    const atMostThree: Guard = {
      name: `${table}-guard`,
      eventTypes: ['Numbered'],
      handle: async (events) => {
        if (events.some((event) => event.streamVersion > 3)) throw new Error('three at most');
      },
      truncate: async () => {},
    };
    const store = await createEventStore({
      kind: 'postgres',
      db: schema.db,
      schema: schema.schema,
      projections: [view],
      guards: [atMostThree],
    });
    const name = uniqueName('numbered');
    const next = () => appendNumbered(store, name);
    await next();
    // A rebuild of the view holds its checkpoint's lock: a decision feeding the view waits for it.
    const rebuildKey = sql`hashtextextended(${`${schema.schema}.${projectionCheckpointName(view)}`}, 0)`;
    let release!: () => void;
    const rebuilding = otherPool.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${rebuildKey})`.execute(trx);
      await new Promise<void>((resolve) => (release = resolve));
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    let decided = false;
    const waiting = next().then(() => (decided = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(decided).toBe(false);
    release();
    await within(Promise.all([rebuilding, waiting]), 5_000, 'the decision after the rebuild');
    await next();
    await expect(next()).rejects.toThrow('three at most');
    const rows = await schema.db
      .withSchema(schema.schema)
      .selectFrom(table)
      .select('version')
      .where('stream_name', '=', name)
      .execute();
    expect(rows.map((row) => Number(row.version)).sort()).toEqual([1, 2, 3]);
    expect((await store.readStream(name)).currentVersion).toBe(3);
    await store.close();
  });
});

describe('CommandBatcher on a stream two processes write', () => {
  const SEATS = 100;
  const replica = (store: EventStore) => seatReplica(store, SEATS);

  it('decides under the lock after a conflict: the rest of the run has no conflict, every command is decided once, and the limit holds', async () => {
    const name = uniqueName('seats');
    const [a, b] = stores.map(replica);
    // Each keeps a state the other's append then makes stale: each one's next batch conflicts once.
    await a.take(name);
    await b.take(name);
    await Promise.all([a.take(name), b.take(name), a.take(name), b.take(name)]);
    const retriesBefore = eventStoreCounters.versionConflictRetries;
    const decisionsBefore = a.decisions() + b.decisions();

    const results = await Promise.allSettled(Array.from({ length: 150 }, (_, i) => (i % 2 === 0 ? a : b).take(name)));
    expect(eventStoreCounters.versionConflictRetries - retriesBefore).toBe(0);
    // No batch was decided again: no failed append, no refusal looked at twice.
    expect(a.decisions() + b.decisions() - decisionsBefore).toBe(150);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(SEATS - 6);
    const refusals = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refusals.every((r) => (r.reason as Error).message === 'none left')).toBe(true);

    // a's kept state says full; b gives a seat back behind it: under the lock a decides on the release.
    await b.release(name);
    await expect(a.take(name)).resolves.toBeDefined();
    await expect(b.take(name)).rejects.toThrow('none left');

    const { events } = await stores[0].readStream<SeatEvent>(name);
    const seats = events.flatMap((event) => (event.type === 'Taken' ? [event.data.seat] : []));
    // Every seat decided on the stream as it stood, in stream order: 1 to SEATS, then the one given back.
    expect(seats).toEqual([...Array.from({ length: SEATS }, (_, i) => i + 1), SEATS]);
  });
});
