import type { Kysely, Migration } from 'kysely';

/** subscription_providers: the live provider of each source per account. */
export const subscriptionProvidersViews: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('subscription_providers')
      .addColumn('arn', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('stream_version', 'integer', (c) => c.notNull())
      .addColumn('state', 'jsonb', (c) => c.notNull())
      // One live provider of a source per account (its stream's latest).
      .addUniqueConstraint('subscription_providers_account_source', ['account_id', 'source'])
      .execute();
    // Lists page through an account's providers in registration order.
    await db.schema
      .createIndex('subscription_providers_by_account')
      .on('subscription_providers')
      .columns(['account_id', 'region', 'created_at', 'arn'])
      .execute();
  },
};
