import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The instances view becomes a projection of the instances' own events (its rows carry the stream
 * version they reflect), and instance_status_checks keeps when discovery last saw each instance
 * unchanged: that is no change of the instance, so no event, and a rebuild of the view keeps it.
 */
export const instanceStreamsViews: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .alterTable('instances')
      .addColumn('stream_version', 'integer', (c) => c.notNull().defaultTo(sql`0`))
      .execute();
    await db.schema
      .createTable('instance_status_checks')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('instance_id', 'text', (c) => c.notNull())
      .addColumn('checked_at', 'timestamptz', (c) => c.notNull())
      .addPrimaryKeyConstraint('instance_status_checks_pkey', ['account_id', 'region', 'instance_id'])
      .execute();
  },
};
