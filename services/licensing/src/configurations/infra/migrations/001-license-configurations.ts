import type { Migration } from 'kysely';

/** The configurations and their counts per account and Region (for the quota). */
export const licenseConfigurationsViews: Migration = {
  async up(db) {
    await db.schema
      .createTable('license_configurations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('owner_account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('counting_type', 'text', (c) => c.notNull())
      .addColumn('hard_limit', 'boolean', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('usage_limit_exceeded', 'boolean', (c) => c.notNull().defaultTo(false))
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('document', 'jsonb', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('license_configurations_by_owner')
      .on('license_configurations')
      .columns(['owner_account_id', 'region', 'created_at', 'id'])
      .execute();
    await db.schema
      .createTable('license_configuration_counts')
      .addColumn('owner_account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('license_configuration_counts_pk', ['owner_account_id', 'region'])
      .execute();
  },
};
