import { sql, type Kysely, type Migration } from 'kysely';

/**
 * inventory_instances (the copy of the inventory), linux_subscription_instances (the discovered
 * ones), discovered_instance_counts (per account and Region) and provider_registrations.
 */
export const instancesViews: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('inventory_instances')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('instance_id', 'text', (c) => c.notNull())
      .addColumn('subscription_name', 'text')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('inactive', 'boolean', (c) => c.notNull())
      .addColumn('observed_at', 'timestamptz', (c) => c.notNull())
      .addColumn('observation', 'jsonb', (c) => c.notNull())
      .addPrimaryKeyConstraint('inventory_instances_pkey', ['account_id', 'region', 'instance_id'])
      .execute();
    // Discovery turned on reads an account's instances with a Linux subscription.
    await db.schema
      .createIndex('inventory_instances_classified')
      .on('inventory_instances')
      .columns(['account_id', 'region', 'instance_id'])
      .where(sql.ref('subscription_name'), 'is not', null)
      .execute();
    await db.schema
      .createTable('linux_subscription_instances')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('instance_id', 'text', (c) => c.notNull())
      .addColumn('subscription_name', 'text', (c) => c.notNull())
      .addColumn('subscription_type', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('ami_id', 'text')
      .addColumn('instance_type', 'text')
      .addColumn('usage_operation', 'text', (c) => c.notNull())
      .addColumn('product_codes', sql`text[]`, (c) => c.notNull())
      .addColumn('dual_subscription', 'boolean', (c) => c.notNull())
      .addColumn('instance', 'jsonb', (c) => c.notNull())
      .addPrimaryKeyConstraint('linux_subscription_instances_pkey', ['account_id', 'region', 'instance_id'])
      .execute();
    // Lists page by instance id within the accounts a caller sees; retrievals find instances by id.
    await db.schema
      .createIndex('linux_subscription_instances_by_id')
      .on('linux_subscription_instances')
      .columns(['instance_id', 'account_id', 'region'])
      .execute();
    await db.schema
      .createTable('discovered_instance_counts')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('discovered_instance_counts_pkey', ['account_id', 'region'])
      .execute();
    await db.schema
      .createTable('provider_registrations')
      .addColumn('subscription_provider_arn', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('instance_id', 'text', (c) => c.notNull())
      .addColumn('provider_created_at', 'text', (c) => c.notNull())
      .addColumn('retrieved_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('provider_registrations_pkey', ['subscription_provider_arn', 'instance_id'])
      .execute();
    await db.schema
      .createIndex('provider_registrations_by_instance')
      .on('provider_registrations')
      .columns(['instance_id'])
      .execute();
  },
};
