import type { Kysely, Migration } from 'kysely';

/** user_associations: users' associations with instances; user_instance_counts: the quota guard's counters. */
export const userAssociationsViews: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('user_associations')
      .addColumn('arn', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('instance_id', 'text', (c) => c.notNull())
      .addColumn('directory_id', 'text', (c) => c.notNull())
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('domain', 'text', (c) => c.notNull())
      .addColumn('products', 'jsonb', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('requested_at', 'timestamptz', (c) => c.notNull())
      .addColumn('stream_version', 'integer', (c) => c.notNull())
      .addColumn('state', 'jsonb', (c) => c.notNull())
      .execute();
    // ListUserAssociations pages through an instance's users; terminations find them.
    await db.schema
      .createIndex('user_associations_by_instance')
      .on('user_associations')
      .columns(['account_id', 'region', 'instance_id', 'directory_id', 'requested_at', 'arn'])
      .execute();
    // The unsubscribe and deregistration rules look a directory's users up.
    await db.schema
      .createIndex('user_associations_by_user')
      .on('user_associations')
      .columns(['account_id', 'directory_id', 'status'])
      .execute();
    await db.schema
      .createTable('user_instance_counts')
      .addColumn('user_key', 'text', (c) => c.primaryKey())
      .addColumn('count', 'integer', (c) => c.notNull())
      .execute();
  },
};
