import type { Kysely, Migration } from 'kysely';

/** instances: the inventory's instances with a subnet, as discovery's events tell them. */
export const instancesViews: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('instances')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('instance_id', 'text', (c) => c.notNull())
      .addColumn('subnet_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('observed_at', 'timestamptz', (c) => c.notNull())
      .addColumn('state', 'jsonb', (c) => c.notNull())
      .addPrimaryKeyConstraint('instances_pkey', ['account_id', 'region', 'instance_id'])
      .execute();
    // ListInstances and the deregistration check read an account's instances by subnet.
    await db.schema
      .createIndex('instances_by_subnet')
      .on('instances')
      .columns(['account_id', 'region', 'subnet_id'])
      .execute();
  },
};
