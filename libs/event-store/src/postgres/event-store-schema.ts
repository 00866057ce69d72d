import { sql, type Kysely, type RawBuilder } from 'kysely';

/** Schema names are interpolated as identifiers: keep them to plain, unquoted-safe names. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The unique constraint that a second writer of the same stream version runs into. */
export const STREAM_VERSION_CONSTRAINT = 'events_stream_version_unique';

export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) throw new TypeError(`invalid schema name ${JSON.stringify(schema)}`);
}

/**
 * Creates the event store tables in `schema` if they are missing. Safe to run from several
 * processes at once: a transaction-scoped advisory lock on the schema name serialises them.
 */
export async function migrateEventStoreSchema(db: Kysely<any>, schema: string): Promise<void> {
  assertSchemaName(schema);
  const s = sql.id(schema);
  await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`event-store-migration:${schema}`}, 0))`.execute(trx);
    await sql`CREATE SCHEMA IF NOT EXISTS ${s}`.execute(trx);
    await sql`
      CREATE TABLE IF NOT EXISTS ${s}.streams (
        stream_name text PRIMARY KEY,
        version bigint NOT NULL
      )`.execute(trx);
    // transaction_id orders readers: see PostgresEventStore.readAll.
    await sql`
      CREATE TABLE IF NOT EXISTS ${s}.events (
        global_position bigserial PRIMARY KEY,
        transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        stream_name text NOT NULL,
        stream_version bigint NOT NULL,
        event_id uuid NOT NULL,
        type text NOT NULL,
        data jsonb NOT NULL,
        metadata jsonb NOT NULL DEFAULT '{}',
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ${sql.id(STREAM_VERSION_CONSTRAINT)} UNIQUE (stream_name, stream_version)
      )`.execute(trx);
    await sql`CREATE INDEX IF NOT EXISTS events_commit_order ON ${s}.events (transaction_id, global_position)`.execute(
      trx,
    );
    await sql`
      CREATE TABLE IF NOT EXISTS ${s}.checkpoints (
        name text PRIMARY KEY,
        position text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`.execute(trx);
  });
}

/**
 * Key of the advisory lock that stands for a checkpoint. Advisory locks rather than row locks:
 * inline projections take it in shared mode at the start of every append, and a shared advisory
 * lock neither writes to a hot row nor makes the transaction take an id before its first write.
 * The name is written as a literal, not a parameter (it is the schema's and a projection's, never
 * a caller's): the append's first statement then has no parameters, and the services' pool sends it
 * with its `begin` in one round trip (libs/service-kit deferred-begin.ts).
 */
export function checkpointLockKey(schema: string, checkpointName: string): RawBuilder<unknown> {
  return sql`hashtextextended(${sql.lit(`${schema}.${checkpointName}`)}, 0)`;
}
