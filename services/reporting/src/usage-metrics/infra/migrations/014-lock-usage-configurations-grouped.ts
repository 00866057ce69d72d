import { sql, type Migration } from 'kysely';
import { associationsConcerned, configurations, createLockFunction, pending } from './013-lock-usage-configurations';

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
    await createLockFunction(
      db,
      sql`
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
          LEFT JOIN by_stream b ON b.stream_name = n.stream_name`,
    );
  },
};
