import { Client } from 'pg';

/**
 * ANALYZE of every table of the system's database, before a measured window: the planner's
 * statistics of a system in its steady state. A benchmark's database is new, and its tables fill
 * within the run. A session keeps the generic plan of each prepared statement (and of each
 * PL/pgSQL function's statements) until the statistics of a table it reads change: planned while
 * a table was nearly empty, a lookup by key stays a sequential scan while the table grows, until
 * autovacuum's first ANALYZE of it, a minute or more later. So runs differed by whether autovacuum
 * had got to a table yet: in one run of bench:profile, reporting's lock of a batch's usage rows
 * scanned the whole of usage_configurations 56 times a second under AuthorizeLaunch (250,000 rows
 * a second), in others not. A deployment that has run for a while has had its tables analyzed (a
 * new one pays such scans in its first minutes, as any application on PostgreSQL does).
 */
export async function analyzeTables(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('analyze');
  } finally {
    await client.end();
  }
}
