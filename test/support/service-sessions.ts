import type { DynamicModule } from '@nestjs/common';
import { openServiceStorageOf, type ServiceStorage } from '@lm/service-kit';
import { Client } from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from './test-database';

/**
 * Starts `statement` on `waiter` and resolves once that session waits for a lock (pg_locks, read
 * from `observer`), with the statement's result still to come; throws if the statement finished
 * first (it never waited), or after 10 s.
 */
export async function waitingForLock<T>(
  observer: Client,
  waiter: Client,
  statement: (client: Client) => Promise<T>,
): Promise<{ result: Promise<T> }> {
  const { rows } = await waiter.query<{ pid: number }>('select pg_backend_pid() as pid');
  let finished = false;
  const result = statement(waiter).finally(() => (finished = true));
  for (let waited = 0; ; waited += 20) {
    const { rows: locks } = await observer.query<{ waiting: number }>(
      'select count(*)::int as waiting from pg_locks where pid = $1 and not granted',
      [rows[0].pid],
    );
    if (locks[0].waiting > 0) return { result };
    if (finished || waited > 10_000) throw new Error('the statement never waited for a lock');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * For a test file that races PostgreSQL sessions against each other on a service's schema (a
 * function that locks, say): a database of its own, migrated as the service migrates it before
 * the file's tests, and `session()` for a plain session on it, a new one each call; all of them
 * closed, and the database dropped, after the tests.
 */
export function serviceDatabaseSessions(
  service: DynamicModule,
  databasePrefix: string,
): { session(): Promise<Client> } {
  let database: TestDatabase | undefined;
  let storage: ServiceStorage | undefined;
  const sessions: Client[] = [];
  beforeAll(async () => {
    database = await createTestDatabase(databasePrefix);
    storage = await openServiceStorageOf(service, { DATABASE_URL: database.url });
  });
  afterAll(async () => {
    await Promise.all(sessions.map((client) => client.end()));
    await storage?.close();
    await database?.drop();
  });
  return {
    async session() {
      const client = new Client({ connectionString: database!.url });
      await client.connect();
      sessions.push(client);
      return client;
    },
  };
}
