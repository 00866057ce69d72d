import { defineGuard, precompiled } from '@lm/event-store';
import { sql, type Kysely } from 'kysely';
import { resourceLimitExceeded } from '@lm/contracts';
import type { LicenseConfigurationEvent } from '../domain/events';
import { LICENSING_SCHEMA } from '../../shared/schema';
import type { LicenseConfigurationViews } from './license-configuration.views';

/** Adds `delta` to an account's count in a Region, and returns the count. */
const countConfigurations = precompiled(
  (
    db: Kysely<LicenseConfigurationViews>,
    { ownerAccountId, region, delta }: { ownerAccountId: string; region: string; delta: number },
  ) =>
    db
      .withSchema(LICENSING_SCHEMA)
      .insertInto('license_configuration_counts')
      .values({ owner_account_id: ownerAccountId, region, count: delta })
      .onConflict((oc) =>
        oc
          .columns(['owner_account_id', 'region'])
          .doUpdateSet({ count: sql`license_configuration_counts.count + ${delta}` }),
      )
      .returning('count'),
);

/**
 * Counts configurations per account and region, and enforces the quota (the guide: 25 per
 * Region, adjustable like an AWS service quota). It runs in the append's transaction: the
 * counter row's lock orders concurrent creates of one account, and a create that would pass
 * the quota throws, which rolls its append back. So the quota holds under any load. The count
 * is sent without waiting and checked before the append commits (StatementPipeline), so it
 * shares its round trip with the views' statements behind it.
 */
export function licenseConfigurationQuotaGuard(quota: number) {
  return defineGuard<LicenseConfigurationEvent, LicenseConfigurationViews>()({
    name: 'license-configuration-quota',
    eventTypes: ['LicenseConfigurationCreated', 'LicenseConfigurationDeleted'],
    async handle(events, trx, pipeline) {
      for (const event of events) {
        const { ownerAccountId, region } = event.data;
        const delta = event.type === 'LicenseConfigurationCreated' ? 1 : -1;
        pipeline.send(countConfigurations.bind(trx, { ownerAccountId, region, delta }), ({ rows: [row] }) => {
          if (delta > 0 && row.count > quota) {
            throw resourceLimitExceeded(`An account can have at most ${quota} license configurations in a Region.`);
          }
        });
      }
    },
    async truncate(db) {
      await db.withSchema(LICENSING_SCHEMA).deleteFrom('license_configuration_counts').execute();
    },
  });
}
