import type { Kysely, Migration } from 'kysely';

/** The alarms' views: the alarms, their history, and the quota's counters. */
export const alarmsViews: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('alarms')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('alarm_name', 'text', (c) => c.notNull())
      .addColumn('stream_name', 'text', (c) => c.notNull().unique())
      .addColumn('namespace', 'text', (c) => c.notNull())
      .addColumn('metric_name', 'text', (c) => c.notNull())
      .addColumn('dimensions_key', 'text', (c) => c.notNull())
      .addColumn('state_value', 'text', (c) => c.notNull())
      .addColumn('actions', 'jsonb', (c) => c.notNull())
      .addColumn('stream_version', 'integer', (c) => c.notNull())
      .addColumn('state', 'jsonb', (c) => c.notNull())
      // DescribeAlarms pages through an account's alarms in name order.
      .addPrimaryKeyConstraint('alarms_pk', ['account_id', 'region', 'alarm_name'])
      .execute();
    await db.schema
      .createIndex('alarms_by_metric')
      .on('alarms')
      .columns(['account_id', 'region', 'namespace', 'metric_name', 'dimensions_key'])
      .execute();
    await db.schema
      .createTable('alarm_history')
      .addColumn('event_id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('alarm_name', 'text', (c) => c.notNull())
      .addColumn('item_type', 'text', (c) => c.notNull())
      .addColumn('timestamp', 'timestamptz', (c) => c.notNull())
      .addColumn('summary', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('alarm_history_by_account')
      .on('alarm_history')
      .columns(['account_id', 'region', 'timestamp', 'event_id'])
      .execute();
    // The evaluation sweep forgets items past 30 days.
    await db.schema.createIndex('alarm_history_by_time').on('alarm_history').column('timestamp').execute();
    await db.schema
      .createTable('alarm_counts')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('alarm_counts_pk', ['account_id', 'region'])
      .execute();
  },
};
