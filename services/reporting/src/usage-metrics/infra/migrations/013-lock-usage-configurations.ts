import { sql, type Kysely, type Migration, type RawBuilder } from 'kysely';
import { REPORTING_SCHEMA } from '../../../shared/schema';
import {
  CONFIGURATION_ASSOCIATIONS_FUNCTION,
  LOCK_USAGE_CONFIGURATIONS_FUNCTION,
} from '../../application/usage-metrics.views';

export const configurations = sql.table(`${REPORTING_SCHEMA}.usage_configurations`);
const associations = sql.table(`${REPORTING_SCHEMA}.usage_configuration_associations`);
export const pending = sql.table(`${REPORTING_SCHEMA}.usage_pending_events`);
export const associationsConcerned = sql.table(`${REPORTING_SCHEMA}.${CONFIGURATION_ASSOCIATIONS_FUNCTION}`);

/**
 * The configuration usage consumer's reads, one round trip per batch where they had been three
 * statements, each built and compiled for the batch.
 *
 * CONFIGURATION_ASSOCIATIONS_FUNCTION: every association on the consumption keys asked for (by
 * stream) and on those the named resources (by stream) are on now. STABLE, so that it reads in the
 * snapshot of the statement that calls it.
 *
 * LOCK_USAGE_CONFIGURATIONS_FUNCTION: locks the rows of `stream_names` in the order of their names
 * (a stream without a row yet has nothing to lock), then returns a row for each name: its row's
 * columns (null without one), whether it has events held, and its associations concerned. A
 * VOLATILE function's statements each take their own snapshot (READ COMMITTED), so the reads follow
 * the locks: only a holder of a stream's lock holds its events or changes its associations, and the
 * previous holder's are seen once it committed.
 */
export const lockUsageConfigurationsFunction: Migration = {
  async up(db) {
    await sql`
      CREATE OR REPLACE FUNCTION ${associationsConcerned}(
        resource_streams text[], resource_arns text[], key_streams text[], consumption_keys text[]
      ) RETURNS TABLE (stream_name text, resource_arn text, consumption_key text, consumed_licenses double precision)
      LANGUAGE sql STABLE AS $body$
        WITH named (stream_name, resource_arn) AS (
          SELECT * FROM unnest(resource_streams, resource_arns)
        ), concerned (stream_name, consumption_key) AS (
          SELECT * FROM unnest(key_streams, consumption_keys)
          UNION
          SELECT a.stream_name, a.consumption_key FROM ${associations} a JOIN named USING (stream_name, resource_arn)
        )
        SELECT a.stream_name, a.resource_arn, a.consumption_key, a.consumed_licenses
        FROM ${associations} a JOIN concerned USING (stream_name, consumption_key)
      $body$`.execute(db);
    await createLockFunction(
      db,
      sql`
          WITH concerned AS (
            SELECT * FROM ${associationsConcerned}(resource_streams, resource_arns, key_streams, consumption_keys)
          )
          SELECT n.stream_name, c.stream_version, c.usage, c.changed_at, c.sampled_through,
            EXISTS (SELECT FROM ${pending} p WHERE p.stream_name = n.stream_name),
            (SELECT coalesce(jsonb_agg(to_jsonb(a)), '[]') FROM concerned a WHERE a.stream_name = n.stream_name)
          FROM unnest(stream_names) AS n(stream_name)
          LEFT JOIN ${configurations} c ON c.stream_name = n.stream_name`,
    );
  },
};

/**
 * LOCK_USAGE_CONFIGURATIONS_FUNCTION with `read` as the query it returns once it holds the locks
 * (its parameters in scope): 013's read, and 014's.
 */
export async function createLockFunction(db: Kysely<any>, read: RawBuilder<unknown>): Promise<void> {
  await sql`
      CREATE OR REPLACE FUNCTION ${sql.table(`${REPORTING_SCHEMA}.${LOCK_USAGE_CONFIGURATIONS_FUNCTION}`)}(
        stream_names text[], resource_streams text[], resource_arns text[], key_streams text[], consumption_keys text[]
      ) RETURNS TABLE (
        stream_name text, stream_version integer, usage jsonb, changed_at timestamptz, sampled_through timestamptz,
        held boolean, associations jsonb
      ) LANGUAGE plpgsql VOLATILE AS $body$
      #variable_conflict use_column
      BEGIN
        PERFORM FROM ${configurations} c WHERE c.stream_name = ANY(stream_names) ORDER BY c.stream_name FOR UPDATE;
        RETURN QUERY${read};
      END
      $body$`.execute(db);
}
