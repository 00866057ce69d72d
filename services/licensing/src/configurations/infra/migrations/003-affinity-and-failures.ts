import type { Migration } from 'kysely';

/** Affinity holds on the association rows, and the failures behind ListFailures. */
export const affinityAndFailures: Migration = {
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
};
