import { defineProjection } from '@lm/event-store';
import type { LicenseEvent } from '../../licenses/domain/events';
import { GRANTS_SCHEMA } from '../../shared/schema';
import { licenseIdOf } from '../domain/license-usage';
import type { ConsumptionViews } from './license-consumption.views';

/** Whether a licence event starts a new usage period: a version with ResetUsage, or a renewal. */
const startsUsagePeriod = (event: LicenseEvent) =>
  (event.type === 'LicenseVersionCreated' && event.data.resetUsage) || event.type === 'LicenseRenewed';

/**
 * The usage epoch of each licence: the position in the licence's stream of its latest event that
 * started a new usage period (LicenseVersionCreated with resetUsage, LicenseRenewed), which
 * checkouts pass to the usage decider. Stream positions only grow, whichever event it was.
 */
export const licenseUsageEpochsProjection = defineProjection<LicenseEvent, ConsumptionViews>()({
  name: 'license-usage-epochs',
  eventTypes: ['LicenseVersionCreated', 'LicenseRenewed'],
  async handle(events, trx) {
    const db = trx.withSchema(GRANTS_SCHEMA);
    for (const event of events) {
      if (!startsUsagePeriod(event)) continue;
      const epoch = event.streamVersion;
      await db
        .insertInto('license_usage_epochs')
        .values({ license_id: licenseIdOf(event.data.licenseArn), usage_epoch: epoch })
        .onConflict((oc) =>
          oc
            .column('license_id')
            .doUpdateSet({ usage_epoch: epoch })
            .where('license_usage_epochs.usage_epoch', '<', epoch),
        )
        .execute();
    }
  },
  async truncate(db) {
    await db.withSchema(GRANTS_SCHEMA).deleteFrom('license_usage_epochs').execute();
  },
});
