import type { DynamicModule } from '@nestjs/common';
import { openServiceStorageOf, type ServiceStorage } from '@lm/service-kit';
import { Client } from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from './test-database';

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
