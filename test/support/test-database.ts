import { Client } from 'pg';

/** The test PostgreSQL server (DATABASE_URL, as global setup leaves it). */
export const testServerUrl = (): string => process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Runs `run` with a client of the test server's administrator (the server's databases, pg_stat_activity). */
export async function asServerAdmin<T>(run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: testServerUrl() });
  await client.connect();
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
