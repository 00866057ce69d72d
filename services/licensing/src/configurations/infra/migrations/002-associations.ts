import type { Migration } from 'kysely';

/** The configurations' associations: 002's second half. */
export const associationsView: Migration = {
  async up(db) {
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
};
