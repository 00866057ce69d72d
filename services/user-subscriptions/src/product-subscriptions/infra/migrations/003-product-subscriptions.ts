import type { Kysely, Migration } from 'kysely';

/** product_subscriptions: every user's subscription to a product. */
export const productSubscriptionsViews: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('product_subscriptions')
      .addColumn('arn', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('identity_provider_arn', 'text', (c) => c.notNull())
      .addColumn('directory_id', 'text', (c) => c.notNull())
      .addColumn('product', 'text', (c) => c.notNull())
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('domain', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('requested_at', 'timestamptz', (c) => c.notNull())
      .addColumn('stream_version', 'integer', (c) => c.notNull())
      .addColumn('state', 'jsonb', (c) => c.notNull())
      .execute();
    // ListProductSubscriptions pages through a directory's subscriptions in the account.
    await db.schema
      .createIndex('product_subscriptions_by_directory')
      .on('product_subscriptions')
      .columns(['account_id', 'region', 'directory_id', 'requested_at', 'arn'])
      .execute();
    // Deregistration counts an identity provider's live subscriptions; the step finds unsettled ones.
    await db.schema
      .createIndex('product_subscriptions_by_identity_provider')
      .on('product_subscriptions')
      .columns(['identity_provider_arn', 'status'])
      .execute();
    await db.schema
      .createIndex('product_subscriptions_by_status')
      .on('product_subscriptions')
      .column('status')
      .execute();
  },
};
