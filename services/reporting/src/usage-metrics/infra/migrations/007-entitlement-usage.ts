import type { Kysely, Migration } from 'kysely';

/**
 * Each seller-issued licence's entitlement usage as grants' events left it: one row per licence,
 * where its two streams meet (its own and its usage stream), with how far each was applied.
 */
export const entitlementUsageViews: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('entitlement_usage_licences')
      .addColumn('license_id', 'text', (c) => c.primaryKey())
      .addColumn('license_stream_version', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('usage_stream_version', 'integer', (c) => c.notNull().defaultTo(0))
      // Null until the licence's creation is applied (its usage events wait for it).
      .addColumn('usage', 'jsonb')
      .addColumn('sampled_through', 'timestamptz')
      .execute();
  },
};
