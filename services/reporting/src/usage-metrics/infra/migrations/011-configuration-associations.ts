import { sql, type Kysely, type Migration } from 'kysely';

/**
 * A configuration's associations leave its usage document for rows of their own, so that an event
 * reads and writes the few on its consumption keys instead of the whole document; the usage keeps
 * what they consume (per consumption key the largest, summed, as the consumer counted it). The
 * rows are carried over, so no point changes.
 */
export const configurationAssociationsViews: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('usage_configuration_associations')
      .addColumn('stream_name', 'text', (c) => c.notNull())
      .addColumn('resource_arn', 'text', (c) => c.notNull())
      .addColumn('consumption_key', 'text', (c) => c.notNull())
      .addColumn('consumed_licenses', 'double precision', (c) => c.notNull())
      .addPrimaryKeyConstraint('usage_configuration_associations_pk', ['stream_name', 'resource_arn'])
      .execute();
    // An event reads every association on its consumption keys.
    await db.schema
      .createIndex('usage_configuration_associations_by_key')
      .on('usage_configuration_associations')
      .columns(['stream_name', 'consumption_key'])
      .execute();
    await db
      .insertInto('usage_configuration_associations')
      .columns(['stream_name', 'resource_arn', 'consumption_key', 'consumed_licenses'])
      .expression(
        db
          .selectFrom([
            'usage_configurations as configuration',
            sql`jsonb_each(configuration.usage->'associations')`.as('association'),
          ])
          .select([
            'configuration.stream_name',
            sql`association.key`.as('resource_arn'),
            sql`association.value->>'consumptionKey'`.as('consumption_key'),
            sql`(association.value->>'consumedLicenses')::double precision`.as('consumed_licenses'),
          ]),
      )
      .execute();
    const byKey = db
      .selectFrom('usage_configuration_associations as association')
      .select(sql`greatest(max(association.consumed_licenses), 0)`.as('largest'))
      .whereRef('association.stream_name', '=', 'configuration.stream_name')
      .groupBy('association.consumption_key');
    const consumed = db.selectFrom(byKey.as('by_key')).select(sql`coalesce(sum(by_key.largest), 0)`.as('consumed'));
    await db
      .updateTable('usage_configurations as configuration')
      .set({ usage: sql`(usage - 'associations') || jsonb_build_object('consumedLicenses', (${consumed}))` })
      .execute();
  },
};
