import { sql, type Kysely, type Migration } from 'kysely';

/** discovery_settings (each account's settings) and organization_links (licensing's organization links). */
export const discoverySettingsViews: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('discovery_settings')
      .addColumn('account_id', 'text', (c) => c.primaryKey())
      .addColumn('discovery', 'text', (c) => c.notNull())
      .addColumn('covered_account_ids', sql`text[]`, (c) => c.notNull())
      .addColumn('pending', 'boolean', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
      .addColumn('stream_version', 'integer', (c) => c.notNull())
      .addColumn('state', 'jsonb', (c) => c.notNull())
      .execute();
    // The lookup finds the discoveries that cover an account (its own, its management account's).
    await db.schema
      .createIndex('discovery_settings_by_covered_account')
      .on('discovery_settings')
      .using('gin')
      .column('covered_account_ids')
      .execute();
    await db.schema
      .createTable('organization_links')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('organization_id', 'text')
      .addColumn('organization_integration', 'boolean', (c) => c.notNull())
      .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
      .addPrimaryKeyConstraint('organization_links_pkey', ['account_id', 'region'])
      .execute();
  },
};
