import type { Kysely, Migration } from 'kysely';

/** The usage metrics' views: each configuration's usage, events waiting for an earlier one, and the data points. */
export const usageMetricsViews: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('usage_configurations')
      .addColumn('stream_name', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('stream_version', 'integer', (c) => c.notNull())
      .addColumn('usage', 'jsonb', (c) => c.notNull())
      .addColumn('changed_at', 'timestamptz', (c) => c.notNull())
      .addColumn('sampled_through', 'timestamptz', (c) => c.notNull())
      .execute();
    // Events that arrived before an earlier one of their stream (a redelivery after a crash comes late).
    await db.schema
      .createTable('usage_pending_events')
      .addColumn('stream_name', 'text', (c) => c.notNull())
      .addColumn('stream_version', 'integer', (c) => c.notNull())
      .addColumn('event', 'jsonb', (c) => c.notNull())
      .addPrimaryKeyConstraint('usage_pending_events_pk', ['stream_name', 'stream_version'])
      .execute();
    await db.schema
      .createTable('metric_points')
      .addColumn('id', 'bigserial', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('namespace', 'text', (c) => c.notNull())
      .addColumn('metric_name', 'text', (c) => c.notNull())
      .addColumn('dimensions', 'jsonb', (c) => c.notNull())
      .addColumn('dimensions_key', 'text', (c) => c.notNull())
      .addColumn('unit', 'text', (c) => c.notNull())
      .addColumn('timestamp', 'timestamptz', (c) => c.notNull())
      .addColumn('resolution', 'integer', (c) => c.notNull())
      .addColumn('sample_count', 'double precision', (c) => c.notNull())
      .addColumn('sum', 'double precision', (c) => c.notNull())
      .addColumn('minimum', 'double precision', (c) => c.notNull())
      .addColumn('maximum', 'double precision', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.unique())
      .execute();
    // Statistics read one metric of one account over a time range.
    await db.schema
      .createIndex('metric_points_by_metric')
      .on('metric_points')
      .columns(['account_id', 'namespace', 'metric_name', 'dimensions_key', 'timestamp'])
      .execute();
    // The retention sweep finds old points by resolution.
    await db.schema
      .createIndex('metric_points_by_age')
      .on('metric_points')
      .columns(['resolution', 'timestamp'])
      .execute();
  },
};
