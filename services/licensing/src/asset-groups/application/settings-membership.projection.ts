import { defineProjection } from '@lm/event-store';
import { LICENSING_SCHEMA } from '../../shared/schema';
import type { ServiceSettingsEvent } from '../../settings/domain/service-settings';
import { AssetGroupMembership } from './asset-group-membership';
import type { AssetGroupsViews } from './asset-groups.views';

/**
 * An account's settings changed: its groups in that Region are evaluated again, since they cover
 * its organization's accounts only while it runs cross-account discovery. Runs after the settings'
 * own view, in the append's transaction.
 */
export const settingsMembershipProjection = defineProjection<ServiceSettingsEvent, AssetGroupsViews>()({
  name: 'license-asset-group-settings',
  eventTypes: ['ServiceSettingsUpdated'],
  async handle(events, trx) {
    const membership = new AssetGroupMembership(trx);
    for (const event of events) {
      const groups = await trx
        .withSchema(LICENSING_SCHEMA)
        .selectFrom('license_asset_groups')
        .select('arn')
        .where('owner_account_id', '=', event.data.accountId)
        .where('region', '=', event.data.region)
        .execute();
      for (const { arn } of groups) await membership.groupChanged(arn, event.recordedAt);
    }
  },
  async truncate() {
    // Its rows are the groups' members, which the asset groups projection truncates.
  },
});
