import type { Guard, RecordedEvent } from '@lm/event-store';
import { sql, type Kysely, type Transaction } from 'kysely';
import { resourceLimitExceeded } from '../domain/license-configuration/errors';
import type { LicenseConfigurationEvent } from '../domain/license-configuration/events';
import { LICENSING_SCHEMA, type LicensingDatabase } from '../infra/database/schema';

/**
 * Counts configurations per account and region, and enforces the quota (the guide: 25 per
 * Region, adjustable like an AWS service quota). It runs in the append's transaction: the
 * counter row's lock orders concurrent creates of one account, and a create that would pass
 * the quota throws, which rolls its append back. So the quota holds under any load.
 */
export function licenseConfigurationQuotaGuard(quota: number): Guard<any> {
  return {
    name: 'license-configuration-quota',
    eventTypes: ['LicenseConfigurationCreated', 'LicenseConfigurationDeleted'],
    async handle(events: RecordedEvent[], trx: Transaction<any>) {
      const db = (trx as Transaction<LicensingDatabase>).withSchema(LICENSING_SCHEMA);
      for (const recorded of events) {
        const event = recorded as unknown as LicenseConfigurationEvent & RecordedEvent;
        const { ownerAccountId, region } = event.data as { ownerAccountId: string; region: string };
        const delta = event.type === 'LicenseConfigurationCreated' ? 1 : -1;
        const row = await db
          .insertInto('license_configuration_counts')
          .values({ owner_account_id: ownerAccountId, region, count: delta })
          .onConflict((oc) =>
            oc
              .columns(['owner_account_id', 'region'])
              .doUpdateSet({ count: sql`license_configuration_counts.count + ${delta}` }),
          )
          .returning('count')
          .executeTakeFirstOrThrow();
        if (delta > 0 && row.count > quota) {
          throw resourceLimitExceeded(`An account can have at most ${quota} license configurations in a Region.`);
        }
      }
    },
    async truncate(db: Kysely<any>) {
      await db.withSchema(LICENSING_SCHEMA).deleteFrom('license_configuration_counts').execute();
    },
  };
}
