import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExpectedVersionConflictError, migrateEventStoreSchema, PostgresEventStore, type RecordedEvent } from '../src';
import { describeEventStoreContract } from './event-store-contract';
import {
  createTestSchema,
  databaseUrl,
  eventually,
  quietLogger,
  uniqueName,
  within,
  type TestSchema,
} from './test-database';

describeEventStoreContract('postgres', async () => {
  const testSchema = await createTestSchema();
  const store = new PostgresEventStore({ db: testSchema.db, schema: testSchema.schema });
  return {
    store,
    db: testSchema.db,
    cleanup: async () => {
      await store.close();
      await testSchema.drop();
    },
  };
});

describe('PostgresEventStore', () => {
  let testSchema: TestSchema;
  let store: PostgresEventStore;
  /** A second connection, outside the store, whose transactions the tests open and end by hand. */
  let other: Client;
  const events = () => sql.id(testSchema.schema, 'events');

  beforeAll(async () => {
    testSchema = await createTestSchema();
    store = new PostgresEventStore({ db: testSchema.db, schema: testSchema.schema, logger: quietLogger });
    other = new Client({ connectionString: databaseUrl() });
    await other.connect();
  });
  afterAll(async () => {
    await other?.end();
    await store?.close();
    await testSchema?.drop();
  });

  /** Inserts an event row on the `other` connection, as an append's transaction would. */
  async function insertOnOther(streamName: string): Promise<void> {
    await other.query(
      `INSERT INTO ${testSchema.schema}.events (stream_name, stream_version, event_id, type, data) VALUES ($1, 1, $2, 'Late', '{}')`,
      [streamName, randomUUID()],
    );
  }
  const mineOf = (page: RecordedEvent[], prefix: string) =>
    page.filter((e) => e.streamName.startsWith(prefix)).map((e) => e.streamName);

  it('does not skip a transaction that drew a lower global position but committed after a later one was read', async () => {
    const prefix = uniqueName('late');
    const start = await store.headPosition();
    const early = await testSchema.db.connection().execute(async (connection) => {
      // `early` takes its transaction id first; `late` then draws the lower global_position.
      await sql`BEGIN`.execute(connection);
      await sql`SELECT pg_current_xact_id()`.execute(connection);
      await other.query('BEGIN');
      await insertOnOther(`${prefix}-late`);
      await sql`INSERT INTO ${events()} (stream_name, stream_version, event_id, type, data)
        VALUES (${`${prefix}-early`}, 1, ${randomUUID()}, 'Early', '{}')`.execute(connection);
      await sql`COMMIT`.execute(connection);
      return store.readAll({ after: start });
    });
    // The early transaction is readable while the late one is still open, although its row has the higher global_position.
    expect(mineOf(early, prefix)).toEqual([`${prefix}-early`]);
    const { rows } = await other.query<{ stream_name: string; global_position: string }>(
      `SELECT stream_name, global_position FROM ${testSchema.schema}.events WHERE stream_name LIKE $1 ORDER BY global_position`,
      [`${prefix}-%`],
    );
    expect(rows.map((row) => row.stream_name)).toEqual([`${prefix}-late`, `${prefix}-early`]);

    await other.query('COMMIT');
    const rest = await store.readAll({ after: early[early.length - 1].position });
    expect(mineOf(rest, prefix)).toEqual([`${prefix}-late`]);
  });

  it('holds back appends committed after a transaction that is still open, then returns both in order', async () => {
    const prefix = uniqueName('held');
    const start = await store.headPosition();
    await other.query('BEGIN');
    try {
      await insertOnOther(`${prefix}-open`);
      await store.append(`${prefix}-appended`, [{ type: 'Appended', data: {} }]);
      expect(mineOf(await store.readAll({ after: start }), prefix)).toEqual([]);
    } finally {
      await other.query('COMMIT');
    }
    expect(mineOf(await store.readAll({ after: start }), prefix)).toEqual([`${prefix}-open`, `${prefix}-appended`]);
  });

  it('does not look past a transaction still open when reading some types, then returns its event', async () => {
    const prefix = uniqueName('typed-held');
    const start = await store.headPosition();
    await other.query('BEGIN');
    let appended: string;
    try {
      await insertOnOther(`${prefix}-open`);
      appended = (await store.append(`${prefix}-appended`, [{ type: 'Appended', data: {} }])).position;
      // Not even a readThrough past the open transaction: a checkpoint there would skip its event.
      expect(await store.readAllOfTypes({ types: ['Late'], after: start })).toEqual({ events: [], reachedEnd: true });
    } finally {
      await other.query('COMMIT');
    }
    await eventually(async () => {
      const page = await store.readAllOfTypes({ types: ['Late'], after: start });
      if (page.readThrough === undefined || page.readThrough < appended) return false;
      expect(mineOf(page.events, prefix)).toEqual([`${prefix}-open`]);
      return true;
    });
  });

  it('looks through a bounded stretch per read of some types, and reaches an event of them after a long run of others', async () => {
    const prefix = uniqueName('typed-run');
    const start = await store.headPosition();
    await store.append(
      `${prefix}-others`,
      Array.from({ length: 6_000 }, () => ({ type: 'Other', data: {} })),
    );
    const wanted = await store.append(`${prefix}-wanted`, [{ type: 'Wanted', data: {} }]);
    let after = start;
    const pages: { events: number; readThrough?: string; reachedEnd: boolean }[] = [];
    await eventually(async () => {
      const page = await store.readAllOfTypes({ types: ['Wanted'], after, limit: 10 });
      pages.push({ events: page.events.length, readThrough: page.readThrough, reachedEnd: page.reachedEnd });
      after = page.readThrough ?? after;
      return page.events.length > 0;
    });
    // The first read stopped among the others without passing the wanted event; a later one found it.
    const firstLook = pages.find((page) => page.readThrough !== undefined)!;
    expect(firstLook).toMatchObject({ events: 0, reachedEnd: false });
    expect(firstLook.readThrough! < wanted.position).toBe(true);
    expect(after).toBe(wanted.position);
  });

  it('stores a long past 2 ** 53 - 1 with its digits (a bigint in the event, a number in the jsonb)', async () => {
    const stream = uniqueName('long');
    await store.append(stream, [{ type: 'Counted', data: { count: 9223372036854775807n, small: 1 } }]);
    const { rows } = await other.query<{ text: string; kind: string }>(
      `SELECT data::text AS text, jsonb_typeof(data->'count') AS kind FROM ${testSchema.schema}.events WHERE stream_name = $1`,
      [stream],
    );
    expect(rows).toEqual([{ text: '{"count": 9223372036854775807, "small": 1}', kind: 'number' }]);
  });

  it('appends to other streams while one stream is locked by an unfinished writer', async () => {
    const busy = uniqueName('busy');
    await store.append(busy, [{ type: 'A', data: {} }]);
    await other.query('BEGIN');
    let busyAppend: Promise<unknown> | undefined;
    try {
      await other.query(`UPDATE ${testSchema.schema}.streams SET version = version WHERE stream_name = $1`, [busy]);
      let busyDone = false;
      busyAppend = store.append(busy, [{ type: 'B', data: {} }], { expectedVersion: 1 }).finally(() => {
        busyDone = true;
      });
      const freeAppends = Promise.all(
        Array.from({ length: 5 }, () => store.append(uniqueName('free'), [{ type: 'A', data: {} }])),
      );
      await within(freeAppends, 2_000, 'appends to other streams');
      expect(busyDone).toBe(false);
    } finally {
      await other.query('COMMIT');
    }
    await expect(busyAppend).resolves.toMatchObject({ nextExpectedVersion: 2 });
  });

  it('reports a stream version taken behind the streams table as a conflict', async () => {
    const stream = uniqueName('bypassed');
    await insertOnOther(stream);
    await expect(
      store.append(stream, [{ type: 'A', data: {} }], { expectedVersion: 'no_stream' }),
    ).rejects.toBeInstanceOf(ExpectedVersionConflictError);
  });

  it('retries a failing subscription handler without moving its checkpoint, and logs the failure', async () => {
    const errors: string[] = [];
    const logged = new PostgresEventStore({
      db: testSchema.db,
      schema: testSchema.schema,
      logger: { error: (m) => errors.push(m) },
    });
    const name = uniqueName('flaky');
    const prefix = uniqueName('flaky-stream');
    const { position } = await logged.append(prefix, [{ type: 'A', data: {} }]);
    let attempts = 0;
    const checkpointsAtAttempts: (string | undefined)[] = [];
    const delivered: string[] = [];
    const subscription = logged.subscribe({
      name,
      handler: async (batch) => {
        if (!batch.some((e) => e.streamName === prefix)) return;
        attempts += 1;
        checkpointsAtAttempts.push(await logged.checkpoints.load(name));
        if (attempts === 1) throw new Error('projection database unavailable');
        delivered.push(...batch.filter((e) => e.streamName === prefix).map((e) => e.type));
      },
    });
    await eventually(() => delivered.length > 0);
    await subscription.stop();
    expect(attempts).toBe(2);
    // The failed batch did not move the checkpoint past the event, so it came again.
    expect(checkpointsAtAttempts[1]).toBe(checkpointsAtAttempts[0]);
    expect(checkpointsAtAttempts.every((checkpoint) => checkpoint === undefined || checkpoint < position)).toBe(true);
    expect(delivered).toEqual(['A']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('projection database unavailable');
    expect(await logged.checkpoints.load(name)).toBe(position);
    await logged.close();
  });

  it('wakes its subscriptions on a local append instead of waiting for the poll interval', async () => {
    const prefix = uniqueName('wake');
    const seen: string[] = [];
    const subscription = store.subscribe({
      name: uniqueName('sleeper'),
      pollIntervalMs: 60_000,
      handler: async (batch) => {
        seen.push(...batch.filter((e) => e.streamName === prefix).map((e) => e.type));
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await store.append(prefix, [{ type: 'Nudge', data: {} }]);
    await eventually(() => seen.length === 1, 1_000);
    await subscription.stop();
  });

  it('migrates idempotently, also when several processes start at once', async () => {
    await Promise.all(Array.from({ length: 3 }, () => migrateEventStoreSchema(testSchema.db, testSchema.schema)));
    const schema = `${testSchema.schema}_fresh`;
    try {
      await Promise.all(Array.from({ length: 3 }, () => migrateEventStoreSchema(testSchema.db, schema)));
      const fresh = new PostgresEventStore({ db: testSchema.db, schema });
      await fresh.append('s', [{ type: 'A', data: {} }]);
      expect((await fresh.readAll()).map((e) => e.type)).toEqual(['A']);
    } finally {
      await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(testSchema.db);
    }
  });

  it('rejects a schema name that is not a plain identifier', () => {
    expect(() => new PostgresEventStore({ db: testSchema.db, schema: 'x"; DROP TABLE y; --' })).toThrow(TypeError);
  });
});
