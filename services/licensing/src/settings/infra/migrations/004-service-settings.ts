import type { Migration } from 'kysely';

/** Each account's settings as automated discovery needs them. */
export const serviceSettingsView: Migration = {
  async up(db) {
    // Who runs cross-account discovery over which accounts: the scope of automated discovery.
    await db.schema
      .createTable('service_settings')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('cross_account_discovery', 'boolean', (c) => c.notNull())
      .addColumn('member_account_ids', 'jsonb', (c) => c.notNull())
      .addPrimaryKeyConstraint('service_settings_pk', ['account_id', 'region'])
      .execute();
  },
};
