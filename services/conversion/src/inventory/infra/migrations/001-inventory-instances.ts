import type { Kysely, Migration } from 'kysely';

/** inventory_instances: the EC2 instances of every account as discovery last reported them. */
export const inventoryInstancesViews: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('inventory_instances')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('resource_id', 'text', (c) => c.notNull())
      .addColumn('inactive', 'boolean', (c) => c.notNull())
      .addColumn('observed_at', 'timestamptz', (c) => c.notNull())
      .addColumn('facts', 'jsonb', (c) => c.notNull())
      .addPrimaryKeyConstraint('inventory_instances_pkey', ['account_id', 'region', 'resource_id'])
      .execute();
  },
};
