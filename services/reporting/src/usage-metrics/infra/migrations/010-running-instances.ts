import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The Linux subscriptions' running instances counted over linux-subscriptions' instance streams
 * (the shape of every metric counted over streams), and the organization each management account's
 * discovery covers (its settings), whose aggregate they count in.
 */
export const runningInstancesViews: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('running_instance_streams')
      .addColumn('stream_name', 'text', (c) => c.primaryKey())
      .addColumn('stream_version', 'integer', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('contribution', 'jsonb')
      .addColumn('series_keys', sql`text[]`, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('running_instance_streams_by_series')
      .on('running_instance_streams')
      .using('gin')
      .column('series_keys')
      .execute();
    // An organization's instances are derived again when it changes.
    await db.schema
      .createIndex('running_instance_streams_by_account')
      .on('running_instance_streams')
      .column('account_id')
      .execute();
    await db.schema
      .createTable('running_instance_counts')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('usage', 'jsonb', (c) => c.notNull())
      .addColumn('sampled_through', 'timestamptz')
      .execute();
    await db.schema
      .createTable('discovered_organizations')
      .addColumn('management_account_id', 'text', (c) => c.primaryKey())
      .addColumn('account_ids', sql`text[]`, (c) => c.notNull())
      .addColumn('settings_version', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('discovered_organizations_by_account')
      .on('discovered_organizations')
      .using('gin')
      .column('account_ids')
      .execute();
  },
};
