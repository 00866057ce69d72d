import { defineProjection, precompiled, type Recorded } from '@lm/event-store';
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { LicenseConfigurationEvent } from '../domain/events';
import { isLicenseConfigurationStream, licenseConfigurationIdOfStream } from '../domain/decide';
import { ConfigurationAssociations } from '../domain/configuration-associations';
import { evolveLicenseConfiguration, type LicenseConfigurationState } from '../domain/license-configuration';
import { LICENSING_SCHEMA } from '../../shared/schema';
import type { LicenseConfigurationViews } from './license-configuration.views';
import { stringifyExactJson } from '@lm/contracts';

/**
 * The configuration's state before an event, from its row. A creation is a stream's first event,
 * so there is nothing to read for it (the upsert's version guard covers a replay).
 */
async function stateBefore(
  db: Transaction<LicenseConfigurationViews>,
  id: string,
  event: Recorded<LicenseConfigurationEvent>,
): Promise<LicenseConfigurationState | 'already-applied'> {
  if (event.type === 'LicenseConfigurationCreated') return { status: 'absent' };
  const row = await db
    .selectFrom('license_configurations')
    .select(['version', 'document'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (row && row.version >= event.streamVersion) return 'already-applied';
  return row
    ? { status: 'present', configuration: { ...row.document, associations: ConfigurationAssociations.none } }
    : { status: 'absent' };
}

type ConfigurationRow = Insertable<LicenseConfigurationViews['license_configurations']>;

/** Writes a configuration's row, unless the row already reflects that version or a later one. */
const upsertConfiguration = precompiled((db: Kysely<LicenseConfigurationViews>, row: ConfigurationRow) => {
  const { id: _id, ...values } = row;
  return db
    .withSchema(LICENSING_SCHEMA)
    .insertInto('license_configurations')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet(values).where('license_configurations.version', '<', row.version));
});

/**
 * The license_configurations view: each row is the configuration's settings folded with the
 * domain's own evolve, so the view cannot drift from what the aggregate decides on. Rows remember
 * the stream version they reflect, which makes replays and redeliveries harmless. Associations are
 * not in the row (a configuration admitting every launch would rewrite an ever larger row).
 * Its writes go through the append's pipeline; a later event's read of the row runs after them.
 */
export const licenseConfigurationsProjection = defineProjection<LicenseConfigurationEvent, LicenseConfigurationViews>()(
  {
    name: 'license-configurations',
    // The settings only: associations and consumption are kept by the associations projection.
    eventTypes: [
      'LicenseConfigurationCreated',
      'LicenseConfigurationUpdated',
      'LicenseConfigurationTagged',
      'LicenseConfigurationUntagged',
      'LicenseConfigurationDeleted',
    ],
    async handle(events, trx, pipeline) {
      const db = trx.withSchema(LICENSING_SCHEMA);
      for (const event of events) {
        if (!isLicenseConfigurationStream(event.streamName)) continue;
        const id = licenseConfigurationIdOfStream(event.streamName);
        const before = await stateBefore(db, id, event);
        if (before === 'already-applied') continue;
        const after = evolveLicenseConfiguration(before, event);
        if (after.status !== 'present') {
          pipeline.send(db.deleteFrom('license_configurations').where('id', '=', id));
          continue;
        }
        const { associations: _none, ...c } = after.configuration;
        pipeline.send(
          upsertConfiguration.bind(trx, {
            id,
            owner_account_id: c.ownerAccountId,
            region: c.region,
            counting_type: c.countingType,
            hard_limit: c.hardLimit,
            status: c.status,
            created_at: c.createdAt,
            version: event.streamVersion,
            document: stringifyExactJson(c),
          }),
        );
      }
    },
    async truncate(db) {
      await db.withSchema(LICENSING_SCHEMA).deleteFrom('license_configurations').execute();
    },
  },
);
