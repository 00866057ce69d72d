import { Inject, Injectable } from '@nestjs/common';
import { handleCommand, type EventStore } from '@lm/event-store';
import { CLOCK, type Clock, DATABASE, EVENT_STORE, type Sweep } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { consumesLicenses, type ResourceFacts } from '../../shared/resource';
import { LICENSING_SCHEMA } from '../../shared/schema';
import { groupDecider, groupStream, type Group, type GroupUsage } from '../domain/group';
import type { UsageDimension } from '../domain/events';
import { isManagedRulesetArn } from '../domain/managed-rulesets';
import type { AssetGroupsViews } from './asset-groups.views';

type LicensingModel = 'LicenseIncluded' | 'AWSMarketplace';

const COUNTING_TYPES: Record<UsageDimension, GroupUsage['licenseCountingType']> = {
  vCPU: 'vCPU',
  Core: 'Core',
  Sockets: 'Socket',
  Instance: 'Instance',
};

/** The licences a running instance consumes in a usage dimension (what the inventory reported of it). */
function unitsOf(facts: ResourceFacts, dimension: UsageDimension): number {
  if (!consumesLicenses(facts)) return 0;
  switch (dimension) {
    case 'Instance':
      return 1;
    case 'vCPU':
      return facts.vCpuCount ?? (facts.coreCount ?? 0) * (facts.threadsPerCore ?? 1);
    case 'Core':
      return facts.coreCount ?? 0;
    case 'Sockets':
      return facts.socketCount ?? 0;
  }
}

/** AWS Marketplace when the instance carries a Marketplace product code, else license included. */
const licensingModelOf = (facts: ResourceFacts): LicensingModel =>
  (facts.productCodes ?? []).some((code) => code.productCodeType !== 'devpay') ? 'AWSMarketplace' : 'LicenseIncluded';

/** A group's usage from its member instances' facts. */
export function groupUsage(group: Group, instances: readonly ResourceFacts[]): GroupUsage {
  const usageOf = (members: readonly ResourceFacts[]) => ({
    instanceCount: members.length,
    consumedLicenses: members.reduce((sum, facts) => sum + unitsOf(facts, group.usageDimension), 0),
  });
  const usage: GroupUsage = { licenseCountingType: COUNTING_TYPES[group.usageDimension], ...usageOf(instances) };
  if (!group.rulesetArns.some(isManagedRulesetArn)) return usage;
  const models: LicensingModel[] = ['LicenseIncluded', 'AWSMarketplace'];
  return {
    ...usage,
    byLicensingModel: models.map((licensingModel) => ({
      licensingModel,
      ...usageOf(instances.filter((facts) => licensingModelOf(facts) === licensingModel)),
    })),
  };
}

/**
 * Records each group's usage (LicenseAssetGroupUsageAnalysed, which reporting turns into the
 * guide's InstanceCount and InstanceConsumedLicenseCount) every LM_ASSET_GROUP_USAGE_MS: the group
 * decides whether it changed, or was last recorded an hour ago or more; otherwise nothing is written.
 */
@Injectable()
export class AssetGroupUsageSweep implements Sweep {
  private readonly db: Kysely<AssetGroupsViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<AssetGroupsViews>,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.db = db.withSchema(LICENSING_SCHEMA);
  }

  async sweep(): Promise<number> {
    const groups = await this.db.selectFrom('license_asset_groups').select(['id', 'document']).execute();
    let recorded = 0;
    for (const { id, document: group } of groups) {
      const members = await this.db
        .selectFrom('license_asset_group_members as m')
        .innerJoin('resources as r', 'r.resource_arn', 'm.asset_arn')
        .select('r.facts')
        .where('m.group_arn', '=', group.arn)
        .where('m.asset_type', '=', 'Instance')
        .execute();
      const { newEvents } = await handleCommand(this.store, groupStream(id), groupDecider, {
        type: 'AnalyseLicenseAssetGroupUsage',
        arn: group.arn,
        accountId: group.ownerAccountId,
        now: this.clock.now(),
        usage: groupUsage(
          group,
          members.map((m) => m.facts),
        ),
      });
      recorded += newEvents.length;
    }
    return recorded;
  }
}
