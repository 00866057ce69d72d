import { defineProjection, precompiled, type Recorded } from '@lm/event-store';
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
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

type ConfigurationRow = Omit<Insertable<LicenseConfigurationViews['license_configurations']>, 'document'> & {
  document: object;
};

/**
 * Writes configurations' rows, each unless its row already reflects that version or a later one:
 * one statement for the rows of a batch, which travel as one JSON parameter (one statement each
 * had cost PostgreSQL and licensing a statement's round of work per Create).
 */
const upsertConfigurations = precompiled(
  (db: Kysely<LicenseConfigurationViews>, p: { rows: string }) => sql`
    insert into ${sql.table(`${LICENSING_SCHEMA}.license_configurations`)}
      (id, owner_account_id, region, counting_type, hard_limit, status, created_at, version, document)
    select r.id, r.owner_account_id, r.region, r.counting_type, r.hard_limit, r.status, r.created_at, r.version, r.document
    from jsonb_to_recordset(${p.rows}::jsonb) as r(id text, owner_account_id text, region text, counting_type text,
      hard_limit boolean, status text, created_at timestamptz, version integer, document jsonb)
    on conflict (id) do update set
      owner_account_id = excluded.owner_account_id, region = excluded.region, counting_type = excluded.counting_type,
      hard_limit = excluded.hard_limit, status = excluded.status, created_at = excluded.created_at,
      version = excluded.version, document = excluded.document
    where license_configurations.version < excluded.version`,
);

/**
 * The license_configurations view: each row is the configuration's settings folded with the
 * domain's own evolve, so the view cannot drift from what the aggregate decides on. Rows remember
 * the stream version they reflect, which makes replays and redeliveries harmless. Associations are
 * not in the row (a configuration admitting every launch would rewrite an ever larger row).
 * Its writes go through the append's pipeline; a later event's read of the row runs after them.
 * The rows of consecutive events go in one statement, sent before the next event that reads a
 * row (one that is not a creation), and at the end.
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
      /** Rows not sent yet, by id: ids are distinct among them, as one statement needs. */
      const unsent = new Map<string, ConfigurationRow>();
      const send = () => {
        if (unsent.size === 0) return;
        pipeline.send(upsertConfigurations.bind(trx, { rows: stringifyExactJson([...unsent.values()]) }));
        unsent.clear();
      };
      for (const event of events) {
        if (!isLicenseConfigurationStream(event.streamName)) continue;
        const id = licenseConfigurationIdOfStream(event.streamName);
        // Its read must find the rows before it written.
        if (event.type !== 'LicenseConfigurationCreated') send();
        const before = await stateBefore(db, id, event);
        if (before === 'already-applied') continue;
        const after = evolveLicenseConfiguration(before, event);
        if (after.status !== 'present') {
          pipeline.send(db.deleteFrom('license_configurations').where('id', '=', id));
          continue;
        }
        const { associations: _none, ...c } = after.configuration;
        unsent.set(id, {
          id,
          owner_account_id: c.ownerAccountId,
          region: c.region,
          counting_type: c.countingType,
          hard_limit: c.hardLimit,
          status: c.status,
          created_at: c.createdAt,
          version: event.streamVersion,
          document: c,
        });
      }
      send();
    },
    async truncate(db) {
      await db.withSchema(LICENSING_SCHEMA).deleteFrom('license_configurations').execute();
    },
  },
);
