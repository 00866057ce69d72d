import type { Migration } from 'kysely';

/** Licensing's copy of the inventory: 002's first half. */
export const resourcesView: Migration = {
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
  },
};
