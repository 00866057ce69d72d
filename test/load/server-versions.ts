import { connect } from 'nats';
import { Client } from 'pg';

/**
 * Prints the versions of the NATS and PostgreSQL servers the bench measures on, before its first
 * suite: figures of runs on different servers are not comparable (from NATS 2.10 on, durable
 * consumers are not delivered the events they skip: docs/performance.md, item 74).
 */
export default async function printServerVersions(): Promise<void> {
  const nc = await connect({ servers: process.env.NATS_URL });
  const nats = nc.info?.version ?? 'unknown';
  await nc.close();
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const { rows } = await client.query<{ server_version: string }>('show server_version');
  await client.end();
  console.log(`bench servers: NATS ${nats}, PostgreSQL ${rows[0].server_version}`);
}
