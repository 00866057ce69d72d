import { sql, type Migration } from 'kysely';

/** Consumption read from the association rows, per consumption key. */
export const consumptionFromAssociations: Migration = {
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
};
