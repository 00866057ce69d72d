import { Kysely, PostgresDialect, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asServerAdmin, createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { openDatabasePool } from '../src/database-pool';

/**
 * The service pool sends statements outside transactions on a few shared sessions (a pool of 8
 * shares at most 2), and gives each transaction a session of its own.
 */
describe('the shared sessions of the service pool', () => {
  let database: TestDatabase;
  let db: Kysely<any>;
  const backendOf = async (executor: Kysely<any> = db) =>
    (await sql<{ pid: number }>`select pg_backend_pid() as pid, pg_sleep(0.01)`.execute(executor)).rows[0].pid;

  beforeAll(async () => {
    database = await createTestDatabase('lm_shared_sessions');
    db = new Kysely<any>({
      dialect: new PostgresDialect({ pool: openDatabasePool({ connectionString: database.url, max: 8 }) }),
    });
    await sql`create table notes (id int primary key)`.execute(db);
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('answers 32 concurrent reads on at most 2 sessions', async () => {
    const backends = await Promise.all(Array.from({ length: 32 }, () => backendOf()));
    expect(new Set(backends).size).toBeLessThanOrEqual(2);
  });

  it('gives a transaction a session of its own, whose writes the shared sessions see once it commits', async () => {
    const shared = new Set(await Promise.all(Array.from({ length: 16 }, () => backendOf())));
    await db.transaction().execute(async (trx) => {
      expect(shared.has(await backendOf(trx))).toBe(false);
      await sql`insert into notes (id) values (1)`.execute(trx);
      // Reads beside it, outside it, on the shared sessions.
      expect((await sql`select id from notes`.execute(db)).rows).toEqual([]);
    });
    expect((await sql`select id from notes`.execute(db)).rows).toEqual([{ id: 1 }]);
  });

  it("keeps one statement's error to that statement, the others on its session answered", async () => {
    const results = await Promise.allSettled([
      ...Array.from({ length: 8 }, (_, i) => sql<{ n: number }>`select ${i}::int as n`.execute(db)),
      sql`select 1 / 0`.execute(db),
      ...Array.from({ length: 8 }, (_, i) => sql<{ n: number }>`select ${i + 8}::int as n`.execute(db)),
    ]);
    expect(results.filter((result) => result.status === 'rejected')).toHaveLength(1);
    expect(results[8]).toMatchObject({ status: 'rejected', reason: { code: '22012' } });
  });

  it('sends reads past a session held up by a slow statement', async () => {
    let slowDone = false;
    const slow = sql`select pg_sleep(0.5)`.execute(db).then(() => (slowDone = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const quick = await Promise.all(Array.from({ length: 8 }, () => backendOf().then(() => slowDone)));
    expect(quick).toEqual(new Array(8).fill(false));
    await slow;
  });

  it('replaces a shared session the server ends', async () => {
    const before = new Set(await Promise.all(Array.from({ length: 16 }, () => backendOf())));
    await asServerAdmin((admin) =>
      admin.query('select pg_terminate_backend(pid) from unnest($1::int[]) pid', [[...before]]),
    );
    // The statements sent on an ended session fail; the next ones go on new sessions.
    await Promise.allSettled(Array.from({ length: 4 }, () => backendOf()));
    const after = new Set(await Promise.all(Array.from({ length: 16 }, () => backendOf())));
    expect([...after].some((pid) => before.has(pid))).toBe(false);
  });
});
