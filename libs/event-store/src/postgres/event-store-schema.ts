import { createHash } from 'node:crypto';
import { sql, type Kysely, type RawBuilder } from 'kysely';

/** Schema names are interpolated as identifiers: keep them to plain, unquoted-safe names. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The unique constraint that a second writer of the same stream version runs into. */
export const STREAM_VERSION_CONSTRAINT = 'events_stream_version_unique';

/** Locks streams and then reads their events after given versions (see migrateEventStoreSchema). */
export const LOCK_AND_READ_FUNCTION = 'lock_streams_and_read';

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
    // PostgresEventStore.decideUnderLock's first statement: the streams' locks, then shared locks
    // of the projections its append is expected to feed, then the read. VOLATILE, and a query for
    // each: each takes its own snapshot (READ COMMITTED), so the read, once the locks are held,
    // sees every event their previous holders appended, which a read in the query that waited would not.
    await sql`
      CREATE OR REPLACE FUNCTION ${s}.${sql.id(LOCK_AND_READ_FUNCTION)}(
        lock_high int[], lock_low int[], shared_locks bigint[], stream_names text[], after_versions bigint[]
      ) RETURNS SETOF ${s}.events LANGUAGE sql VOLATILE AS $body$
        SELECT pg_advisory_xact_lock(k.high, k.low) FROM unnest(lock_high, lock_low) AS k(high, low);
        SELECT pg_advisory_xact_lock_shared(k) FROM unnest(shared_locks) AS k;
        SELECT e.* FROM ${s}.events e
          JOIN unnest(stream_names, after_versions) AS r(stream_name, after_version)
            ON e.stream_name = r.stream_name AND e.stream_version > r.after_version
        ORDER BY e.stream_name, e.stream_version;
      $body$`.execute(trx);
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

/**
 * Key of the advisory lock of a stream's locked decisions (PostgresEventStore.decideUnderLock):
 * the two-int4 form, a key space apart from the one-bigint keys of every other advisory lock here
 * (checkpoints, migrations), and 64 bits of a hash of the schema and the stream's name. Computed
 * here, not in SQL, so that the lock statement carries the keys as literals, has no parameters,
 * and travels with its transaction's `begin` (libs/service-kit deferred-begin.ts).
 */
export function streamLockKey(schema: string, streamName: string): readonly [number, number] {
  const digest = createHash('sha256').update(`${schema}\0${streamName}`).digest();
  return [digest.readInt32BE(0), digest.readInt32BE(4)];
}
