import { Client } from 'pg';

/** The test PostgreSQL server (DATABASE_URL, as global setup leaves it). */
export const testServerUrl = (): string => process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** too_many_connections: the suites running side by side have taken the server's max_connections. */
const TOO_MANY_CONNECTIONS = '53300';

/**
 * A connected client of the database at `url`. A server whose connections the suites running
 * beside this one have taken refuses it for the moment: it tries again for up to 15 s, as the
 * services' own pools wait (libs/service-kit/src/database-pool.ts), rather than failing the test.
 */
export async function connectedClient(url: string): Promise<Client> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const client = new Client({ connectionString: url });
    try {
      await client.connect();
      return client;
    } catch (error) {
      if ((error as { code?: string }).code !== TOO_MANY_CONNECTIONS || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** Runs `run` with a client of the test server's administrator (the server's databases, pg_stat_activity). */
export async function asServerAdmin<T>(run: (client: Client) => Promise<T>): Promise<T> {
  const client = await connectedClient(testServerUrl());
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh database on the test server, so that a suite's services start from nothing. */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await asServerAdmin((client) => client.query(`create database ${name}`));
  const url = new URL(testServerUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      asServerAdmin(async (client) => {
        // Sessions of pools that were just closed can linger a moment: forcing them out then would
        // hand a closing client a FATAL error it no longer listens for. Wait for them first; force
        // only what is still there after that (a process the test killed, say).
        for (let waited = 0; waited < 3_000; waited += 50) {
          const { rows } = await client.query(
            'select count(*)::int as sessions from pg_stat_activity where datname = $1',
            [name],
          );
          if (rows[0].sessions === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await client.query(`drop database if exists ${name} with (force)`);
      }),
  };
}
