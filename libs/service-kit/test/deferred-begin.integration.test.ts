import { Kysely, PostgresDialect, sql, type PostgresPool } from 'kysely';
import type { Writable } from 'node:stream';
import type { PoolClient } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { openDatabasePool } from '../src/database-pool';

/**
 * A transaction's `begin` goes with its first statement when that statement has no parameters.
 * Round trips are counted as the server's ReadyForQuery messages on the pool's one session.
 */
describe('the begin of a transaction in the service pool', () => {
  let database: TestDatabase;
  let db: Kysely<any>;
  let pool: PostgresPool;
  let roundTrips = 0;
  /** What the session did, in order: 'sent' for each message written, 'answered' for each ReadyForQuery. */
  const wire: ('sent' | 'answered')[] = [];
  /** Writes to the session's socket (each one system call). */
  let socketWrites = 0;

  beforeAll(async () => {
    database = await createTestDatabase('lm_deferred_begin');
    pool = openDatabasePool({ connectionString: database.url, max: 1 });
    const session = (await pool.connect()) as PoolClient & {
      connection: NodeJS.EventEmitter & { _send(buffer: Buffer): boolean; stream: Writable };
    };
    // Before pg's own listener, which sends the next query of a session that is not pipelined.
    session.connection.prependListener('readyForQuery', () => {
      roundTrips++;
      wire.push('answered');
    });
    const socket = session.connection.stream;
    for (const method of ['_write', '_writev'] as const) {
      const write = socket[method]!.bind(socket) as (...args: unknown[]) => void;
      socket[method] = (...args: unknown[]) => {
        socketWrites++;
        write(...args);
      };
    }
    const send = session.connection._send.bind(session.connection);
    session.connection._send = (buffer) => {
      wire.push('sent');
      return send(buffer);
    };
    session.release();
    db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
    await sql`create table work (n int)`.execute(db);
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  const counted = async <T>(run: () => Promise<T>): Promise<{ result: T; roundTrips: number }> => {
    const before = roundTrips;
    const result = await run();
    return { result, roundTrips: roundTrips - before };
  };
  const rows = async () => (await sql<{ n: number }>`select count(*)::int as n from work`.execute(db)).rows[0].n;

  it('travels with a first statement without parameters, and the statements run in one transaction', async () => {
    const { result, roundTrips: trips } = await counted(() =>
      db.transaction().execute(async (trx) => {
        const first = await sql<{ started: Date; now: Date }>`select now() as started, now() as now`.execute(trx);
        await sql`insert into work values (${1})`.execute(trx);
        await new Promise((resolve) => setTimeout(resolve, 20));
        const last = await sql<{ now: Date; count: number }>`select now(), count(*)::int from work`.execute(trx);
        return { started: first.rows[0].started, now: last.rows[0].now, count: last.rows[0].count };
      }),
    );
    // begin + select, insert, select, commit: four round trips, not five.
    expect(trips).toBe(4);
    // now() is the transaction's start: the same in its first and last statements.
    expect(result.now.getTime()).toBe(result.started.getTime());
    expect(result.count).toBe(1);
  });

  it('is sent right before a first statement with parameters, which goes without waiting for its answer', async () => {
    wire.length = 0;
    const { result, roundTrips: trips } = await counted(() =>
      db.transaction().execute(async (trx) => {
        await sql`insert into work values (${2})`.execute(trx);
        return (await sql<{ inside: boolean }>`select now() <> statement_timestamp() as inside`.execute(trx)).rows[0];
      }),
    );
    // Each statement has its answer (begin, insert, select, commit)...
    expect(trips).toBe(4);
    // ...but the begin and the insert's messages (parse, bind, describe, execute, sync) were all
    // written before the begin's answer came: one round trip for both.
    expect(wire.indexOf('answered')).toBeGreaterThan(1);
    expect(result.inside).toBe(true);
  });

  it('writes what a turn of the event loop sends in one write: the begin and its statement, queries not awaited', async () => {
    const before = socketWrites;
    await db.transaction().execute(async (trx) => {
      await sql`insert into work values (${4})`.execute(trx);
    });
    // The begin with the insert, then the commit.
    expect(socketWrites - before).toBe(2);

    // Queries sent without waiting (as a StatementPipeline sends them), on the session itself.
    const session = (await pool.connect()) as PoolClient;
    const pipelined = socketWrites;
    const answers = await Promise.all([1, 2, 3].map((n) => session.query('select $1::int as n', [n])));
    session.release();
    expect(answers.map(({ rows }) => rows[0].n)).toEqual([1, 2, 3]);
    expect(socketWrites - pipelined).toBe(1);
  });

  it('rolls back what the transaction did when its first statement fails, and the session goes on', async () => {
    const before = await rows();
    await expect(
      db.transaction().execute(async (trx) => {
        await sql`select 1 / 0`.execute(trx);
      }),
    ).rejects.toMatchObject({ code: '22012' });
    await expect(
      db.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx);
        await sql`insert into work values (${3})`.execute(trx);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await rows()).toBe(before);
    // Outside a transaction again: a statement alone is its own transaction, started with it.
    const alone = await sql<{ own: boolean }>`select now() = statement_timestamp() as own`.execute(db);
    expect(alone.rows[0].own).toBe(true);
  });
});
