import { sql, type Migration } from 'kysely';
import { REPORTING_SCHEMA } from '../../../shared/schema';
import {
  CONFIGURATION_ASSOCIATIONS_FUNCTION,
  LOCK_USAGE_CONFIGURATIONS_FUNCTION,
} from '../../application/usage-metrics.views';

const configurations = sql.table(`${REPORTING_SCHEMA}.usage_configurations`);
const pending = sql.table(`${REPORTING_SCHEMA}.usage_pending_events`);
const associationsConcerned = sql.table(`${REPORTING_SCHEMA}.${CONFIGURATION_ASSOCIATIONS_FUNCTION}`);

/**
 * LOCK_USAGE_CONFIGURATIONS_FUNCTION (013) again, with the batch's associations read once and
 * grouped by stream. 013 read them in a subquery per stream, and PostgreSQL inlined the CTE, and
 * the SQL function under it, into that subquery: each stream's row ran the whole batch's lookup
 * again, so a batch cost the square of its streams (a batch of 36 new configurations 3.4 ms,
 * pg_stat_statements under bench:profile; docs/performance.md, item 71). What it locks, in what
 * order, and what it returns are 013's.
 */
export const lockUsageConfigurationsGrouped: Migration = {
  async up(db) {
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
        RETURN QUERY
          WITH concerned AS MATERIALIZED (
            SELECT * FROM ${associationsConcerned}(resource_streams, resource_arns, key_streams, consumption_keys)
          ), by_stream AS (
            SELECT a.stream_name, jsonb_agg(to_jsonb(a)) AS associations FROM concerned a GROUP BY a.stream_name
          )
          SELECT n.stream_name, c.stream_version, c.usage, c.changed_at, c.sampled_through,
            EXISTS (SELECT FROM ${pending} p WHERE p.stream_name = n.stream_name),
            coalesce(b.associations, '[]')
          FROM unnest(stream_names) AS n(stream_name)
          LEFT JOIN ${configurations} c ON c.stream_name = n.stream_name
          LEFT JOIN by_stream b ON b.stream_name = n.stream_name;
      END
      $body$`.execute(db);
  },
};
