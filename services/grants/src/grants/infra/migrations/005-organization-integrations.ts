import type { Kysely, Migration } from 'kysely';

/** The organization links of management accounts, learnt from licensing's ServiceSettingsUpdated events. */
export const organizationIntegrations: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('organization_integrations')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('organization_id', 'text')
      .addColumn('organization_integration', 'boolean', (c) => c.notNull())
      .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
      .addPrimaryKeyConstraint('organization_integrations_pk', ['account_id', 'region'])
      .execute();
  },
};
