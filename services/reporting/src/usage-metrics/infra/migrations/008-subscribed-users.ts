import type { Kysely, Migration } from 'kysely';

/** The subscribed users of each account and product, from user-subscriptions' events. */
export const subscribedUsersViews: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('subscribed_user_streams')
      .addColumn('stream_name', 'text', (c) => c.primaryKey())
      .addColumn('stream_version', 'integer', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('product', 'text', (c) => c.notNull())
      .addColumn('subscribed', 'boolean', (c) => c.notNull())
      .execute();
    // The count of an account's product is read from its streams at each change.
    await db.schema
      .createIndex('subscribed_user_streams_by_product')
      .on('subscribed_user_streams')
      .columns(['account_id', 'product'])
      .execute();
    // As the other hourly-sampled usages: a key, the usage as JSON, how far its points are written.
    await db.schema
      .createTable('subscribed_user_counts')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('usage', 'jsonb', (c) => c.notNull())
      .addColumn('sampled_through', 'timestamptz')
      .execute();
  },
};
