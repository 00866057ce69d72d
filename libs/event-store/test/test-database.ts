import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool, type PoolConfig } from 'pg';
import { migrateEventStoreSchema } from '../src';

export const databaseUrl = (): string => process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestSchema {
  db: Kysely<any>;
  schema: string;
  /** Drops the schema and closes the pool. */
  drop(): Promise<void>;
}

/** A pool and a fresh, migrated schema of its own, so test files never see each other's rows. */
export async function createTestSchema(): Promise<TestSchema> {
  const db = openTestPool(30);
  const schema = `es_test_${randomBytes(6).toString('hex')}`;
  await migrateEventStoreSchema(db, schema);
  return {
    db,
    schema,
    drop: async () => {
      await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(db);
      await db.destroy();
    },
  };
}

/**
 * A pool of its own on the test database: a second process's, say, beside createTestSchema's.
 * Its sessions are pipelined, as the services' are (@lm/service-kit's database pool).
 */
export function openTestPool(max: number): Kysely<any> {
  return new Kysely<any>({
    dialect: new PostgresDialect({
      pool: new Pool({ connectionString: databaseUrl(), max, pipeline: true } as PoolConfig),
    }),
  });
}

export const uniqueName = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;

/** Polls `condition` until it holds, failing after `timeoutMs`. */
export async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const quietLogger = { error: (): void => {} };

/** Fails fast, instead of at the test timeout, when `promise` is stuck (on a lock, say). */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
