import type { Kysely, Migration } from 'kysely';

/** identity_providers: each directory's latest registration per product and account. */
export const identityProvidersViews: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('identity_providers')
      .addColumn('arn', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('directory_id', 'text', (c) => c.notNull())
      .addColumn('product', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('domain_name', 'text', (c) => c.notNull())
      .addColumn('subnets', 'jsonb', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('stream_version', 'integer', (c) => c.notNull())
      .addColumn('state', 'jsonb', (c) => c.notNull())
      // One live registration of a directory per product and account (its stream's latest).
      .addUniqueConstraint('identity_providers_directory_product', ['account_id', 'directory_id', 'product'])
      .execute();
    // Lists page through an account's registrations in creation order.
    await db.schema
      .createIndex('identity_providers_by_account')
      .on('identity_providers')
      .columns(['account_id', 'region', 'created_at', 'arn'])
      .execute();
    // The registration step finds what is REGISTERING or DEREGISTERING.
    await db.schema.createIndex('identity_providers_by_status').on('identity_providers').column('status').execute();
  },
};
