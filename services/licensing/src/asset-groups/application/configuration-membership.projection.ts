import { defineProjection } from '@lm/event-store';
import type { LicenseConfigurationEvent } from '../../configurations/domain/events';
import { licenseConfigurationArn } from '../../configurations/domain/arn';
import { licenseConfigurationIdOfStream } from '../../configurations/domain/decide';
import { configurationAsset } from '../domain/asset-facts';
import { AssetGroupMembership } from './asset-group-membership';

/**
 * License configurations joining and leaving the groups of their owner as they are created and
 * deleted (what configuration rules match on, ARN and account, never changes in between). Runs
 * after the configurations' own view, in the append's transaction: the configurations of a
 * group commit (many accounts' creates) are looked up together.
 */
export const configurationMembershipProjection = defineProjection<LicenseConfigurationEvent>()({
  name: 'license-asset-group-configurations',
  eventTypes: ['LicenseConfigurationCreated', 'LicenseConfigurationDeleted'],
  async handle(events, trx) {
    const changes = events.map((event) => {
      const { ownerAccountId, region } = event.data;
      const arn =
        event.type === 'LicenseConfigurationCreated'
          ? event.data.arn
          : licenseConfigurationArn(region, ownerAccountId, licenseConfigurationIdOfStream(event.streamName));
      const present = event.type === 'LicenseConfigurationCreated';
      return { ownerAccountId, asset: configurationAsset(arn, ownerAccountId), present, at: event.recordedAt };
    });
    await new AssetGroupMembership(trx).assetsChanged(changes);
  },
  async truncate() {
    // Its rows are the groups' members, which the asset groups projection truncates.
  },
});
