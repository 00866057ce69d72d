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
    await db.schema
      .createTable('subscribed_user_counts')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('product', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('sampled_through', 'timestamptz')
      .addPrimaryKeyConstraint('subscribed_user_counts_pk', ['account_id', 'product'])
      .execute();
  },
};
