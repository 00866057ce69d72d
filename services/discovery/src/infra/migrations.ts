import type { ViewMigrations } from '@lm/service-kit';
import { sql } from 'kysely';

/** The discovery views, in the service's schema; applied in name order by the chassis. */
export const discoveryMigrations: ViewMigrations = {
  '001-inventory': {
    async up(db) {
      await db.schema
        .createTable('inventory_resources')
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('region', 'text', (c) => c.notNull())
        .addColumn('resource_type', 'text', (c) => c.notNull())
        .addColumn('resource_id', 'text', (c) => c.notNull())
        .addColumn('resource_arn', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('platform', 'text')
        .addColumn('application_names', sql`text[]`, (c) => c.notNull())
        .addColumn('license_included', sql`text[]`, (c) => c.notNull())
        .addColumn('tags', 'jsonb', (c) => c.notNull())
        .addColumn('active', 'boolean', (c) => c.notNull())
        .addColumn('listed', 'boolean', (c) => c.notNull())
        .addColumn('last_observed_at', 'timestamptz', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('document', 'jsonb', (c) => c.notNull())
        .addPrimaryKeyConstraint('inventory_resources_pk', ['account_id', 'region', 'resource_type', 'resource_id'])
        .execute();
      // ListResourceInventory pages through the listed resources of a set of accounts in key order.
      await db.schema
        .createIndex('inventory_resources_listed')
        .on('inventory_resources')
        .columns(['account_id', 'region', 'resource_type', 'resource_id'])
        .where(sql<boolean>`listed`)
        .execute();
      // The inactivity sweep looks for active resources by the age of their last observation.
      await db.schema
        .createIndex('inventory_resources_active_by_age')
        .on('inventory_resources')
        .column('last_observed_at')
        .where(sql<boolean>`active`)
        .execute();
      await db.schema
        .createTable('service_settings')
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('region', 'text', (c) => c.notNull())
        .addColumn('organization_id', 'text')
        .addColumn('enable_cross_accounts_discovery', 'boolean', (c) => c.notNull())
        .addColumn('organization_integration', 'boolean', (c) => c.notNull())
        .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
        .addPrimaryKeyConstraint('service_settings_pk', ['account_id', 'region'])
        .execute();
    },
  },
};
