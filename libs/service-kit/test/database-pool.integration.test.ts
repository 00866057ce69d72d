import { Kysely, PostgresDialect, sql } from 'kysely';
import { Client, Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asServerAdmin, createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { openDatabasePool } from '../src/database-pool';

/**
 * A server with no session to spare, made exactly: a role allowed one session, which the test
 * holds. PostgreSQL then turns the role's next session away with 53300 (too_many_connections), as
 * it does when its max_connections are taken by other processes' pools.
 */
describe('the service pool, when the server turns a new session away because it is full', () => {
  const role = `lm_pool_${process.pid}_${Date.now().toString(36)}`;
  let database: TestDatabase;
  let url: string;
  let held: Client | undefined;
  const hold = async () => {
    held = new Client({ connectionString: url });
    await held.connect();
  };
  const letGo = async () => {
    await held?.end();
    held = undefined;
  };
  const asAdmin = (statement: string) => asServerAdmin((admin) => admin.query(statement));
  const selectOne = async (db: Kysely<any>) => (await sql<{ one: number }>`select 1 as one`.execute(db)).rows[0].one;

  beforeAll(async () => {
    database = await createTestDatabase('lm_database_pool');
    await asAdmin(`create role ${role} login connection limit 1`);
    const asRole = new URL(database.url);
    asRole.username = role;
    url = asRole.toString();
  });
  afterAll(async () => {
    await letGo();
    await database?.drop();
    await asAdmin(`drop role if exists ${role}`);
  });

  it('is turned away at once by a plain pg pool: the refusal the service pool waits out', async () => {
    await hold();
    const plain = new Kysely<any>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: url }) }) });
    try {
      await expect(selectOne(plain)).rejects.toMatchObject({ code: '53300' });
    } finally {
      await plain.destroy();
      await letGo();
    }
  });

  it('waits until a session is free and then runs the query', async () => {
    await hold();
    const db = new Kysely<any>({
      dialect: new PostgresDialect({ pool: openDatabasePool({ connectionString: url, max: 2 }) }),
    });
    try {
      const answered = selectOne(db);
      // Refused for a while: the query is still waiting, not failed.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await letGo();
      expect(await answered).toBe(1);
    } finally {
      await db.destroy();
    }
  });

  it('gives up with the refusal once its patience is spent, and does not wait on other errors', async () => {
    await hold();
    const patient = new Kysely<any>({
      dialect: new PostgresDialect({ pool: openDatabasePool({ connectionString: url, max: 2, patienceMs: 200 }) }),
    });
    const missing = new URL(url);
    missing.pathname = `/${role}_no_such_database`;
    const misaddressed = new Kysely<any>({
      dialect: new PostgresDialect({ pool: openDatabasePool({ connectionString: missing.toString(), max: 2 }) }),
    });
    try {
      await expect(selectOne(patient)).rejects.toMatchObject({ code: '53300' });
      await letGo();
      const started = Date.now();
      // 3D000 invalid_catalog_name: not a full server, so not waited for.
      await expect(selectOne(misaddressed)).rejects.toMatchObject({ code: '3D000' });
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      await patient.destroy();
      await misaddressed.destroy();
      await letGo();
    }
  });
});
