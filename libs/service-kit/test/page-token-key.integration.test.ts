import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { loadPageTokenKey } from '../src/page-token-key';

/** Replicas of one service start together and must seal NextTokens alike, today and after a restart. */
describe('the page token key of a service', () => {
  let database: TestDatabase;
  const replicas: Kysely<any>[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('lm_page_token_key');
    for (let i = 0; i < 4; i++)
      replicas.push(
        new Kysely({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: database.url }) }) }),
      );
    await sql`create schema keyed`.execute(replicas[0]);
    await sql`create schema other`.execute(replicas[0]);
  });

  afterAll(async () => {
    await Promise.all(replicas.map((db) => db.destroy()));
    await database?.drop();
  });

  it('is made once by replicas starting together, the same for all of them and for every later start', async () => {
    const keys = await Promise.all(replicas.map((db) => loadPageTokenKey(db, 'keyed')));
    expect(keys[0]).toHaveLength(32);
    for (const key of keys) expect(key.equals(keys[0])).toBe(true);
    expect((await loadPageTokenKey(replicas[1], 'keyed')).equals(keys[0])).toBe(true);
    expect((await loadPageTokenKey(replicas[2], 'other')).equals(keys[0])).toBe(false);
  });
});
