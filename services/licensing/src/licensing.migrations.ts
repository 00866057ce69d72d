import type { ViewMigrations } from '@lm/service-kit';
import { sql } from 'kysely';

/** The licensing views, in the service's schema; applied in name order by the chassis. */
export const licensingMigrations: ViewMigrations = {
  '001-license-configurations': {
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
  },
  '002-resources-and-associations': {
    async up(db) {
      // What the discovery service reports of each resource (fed by its events).
      await db.schema
        .createTable('resources')
        .addColumn('resource_arn', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('region', 'text', (c) => c.notNull())
        .addColumn('resource_type', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('active', 'boolean', (c) => c.notNull())
        .addColumn('observed_at', 'timestamptz', (c) => c.notNull())
        .addColumn('facts', 'jsonb', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('license_configuration_associations')
        .addColumn('configuration_id', 'text', (c) => c.notNull())
        .addColumn('resource_arn', 'text', (c) => c.notNull())
        .addColumn('resource_type', 'text', (c) => c.notNull())
        .addColumn('resource_owner_id', 'text', (c) => c.notNull())
        .addColumn('associated_at', 'timestamptz', (c) => c.notNull())
        .addColumn('ami_association_scope', 'text')
        .addColumn('consumed_licenses', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('license_configuration_associations_pk', ['configuration_id', 'resource_arn'])
        .execute();
      await db.schema
        .createIndex('license_configuration_associations_by_resource')
        .on('license_configuration_associations')
        .columns(['resource_arn', 'configuration_id'])
        .execute();
    },
  },
  '003-affinity-and-failures': {
    async up(db) {
      await db.schema
        .alterTable('license_configuration_associations')
        .addColumn('affinity_hold_until', 'timestamptz')
        .execute();
      await db.schema
        .createIndex('license_configuration_associations_by_hold')
        .on('license_configuration_associations')
        .column('affinity_hold_until')
        .where('affinity_hold_until', 'is not', null)
        .execute();
      await db.schema
        .createTable('license_operation_failures')
        .addColumn('configuration_id', 'text', (c) => c.notNull())
        .addColumn('stream_version', 'integer', (c) => c.notNull())
        .addColumn('operation_name', 'text', (c) => c.notNull())
        .addColumn('resource_arn', 'text', (c) => c.notNull())
        .addColumn('resource_type', 'text', (c) => c.notNull())
        .addColumn('resource_owner_id', 'text', (c) => c.notNull())
        .addColumn('error_message', 'text', (c) => c.notNull())
        .addColumn('requested_by', 'text', (c) => c.notNull())
        .addColumn('failed_at', 'timestamptz', (c) => c.notNull())
        .addPrimaryKeyConstraint('license_operation_failures_pk', ['configuration_id', 'stream_version'])
        .execute();
    },
  },
  '004-service-settings': {
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
  },
  '005-consumption-from-associations': {
    async up(db) {
      // Consumption is read from the association rows (per consumption key), not kept on the row
      // of the configuration, whose document no longer grows with every association.
      await db.schema.alterTable('license_configuration_associations').addColumn('consumption_key', 'text').execute();
      await db
        .updateTable('license_configuration_associations')
        .set({ consumption_key: sql`resource_arn` })
        .execute();
      await db.schema.alterTable('license_configurations').dropColumn('usage_limit_exceeded').execute();
      await db.schema
        .createIndex('license_configuration_associations_by_key')
        .on('license_configuration_associations')
        .columns(['configuration_id', 'consumption_key'])
        .execute();
    },
  },
};
