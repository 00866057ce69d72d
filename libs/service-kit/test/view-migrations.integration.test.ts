import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { migrateViews } from '../src/view-migrations';

/** Replicas of one service start together, and each applies the same view migrations. */
describe('view migrations applied by several replicas at once', () => {
  let database: TestDatabase;
  const replicas: Kysely<any>[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('lm_view_migrations');
    for (let i = 0; i < 6; i++) {
      replicas.push(
        new Kysely({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: database.url }) }) }),
      );
    }
  });

  afterAll(async () => {
    await Promise.all(replicas.map((db) => db.destroy()));
    await database?.drop();
  });

  it('create the schema once, apply each migration once, and none of them fails', async () => {
    const applied: string[] = [];
    const migrations = {
      '001-things': {
        async up(db: Kysely<any>) {
          applied.push('001-things');
          await db.schema
            .createTable('things')
            .addColumn('id', 'text', (c) => c.primaryKey())
            .execute();
        },
      },
    };
    const outcomes = await Promise.allSettled(replicas.map((db) => migrateViews(db, 'racing', migrations)));

    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    expect(applied).toEqual(['001-things']);
    const tables = await sql<{ name: string }>`
      select table_name as name from information_schema.tables where table_schema = 'racing' order by 1`.execute(
      replicas[0],
    );
    expect(tables.rows.map((r) => r.name)).toContain('things');
  });
});
