import { Injectable } from '@nestjs/common';
import type { LicenseManager } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import type { TagCommands, TagQueries } from '@lm/service-kit';
import { AssetGroupCommands } from './asset-groups/application/asset-groups.commands';
import { AssetGroupQueries } from './asset-groups/application/asset-groups.queries';
import { isManagedRulesetArn } from './asset-groups/domain/managed-rulesets';
import { LicenseConfigurationCommands } from './configurations/application/license-configuration.commands';
import { LicenseConfigurationQueries } from './configurations/application/license-configuration.queries';

/** The slice whose resources an ARN's resource type names; license configurations answer for the rest (not found). */
function sliceOf(arn: string): 'ruleset' | 'group' | 'configuration' {
  if (/^arn:aws:license-manager:[^:]*:[^:]*:ruleset\//.test(arn) || isManagedRulesetArn(arn)) return 'ruleset';
  if (/^arn:aws:license-manager:[^:]*:[^:]*:license-asset-group\//.test(arn)) return 'group';
  return 'configuration';
}

/**
 * The tags of licensing's three taggable resources (license configurations, license asset rulesets
 * and groups): each tag operation goes to the slice whose ARN it names.
 */
@Injectable()
export class LicensingTags implements TagCommands, TagQueries {
  constructor(
    private readonly configurations: LicenseConfigurationCommands,
    private readonly configurationQueries: LicenseConfigurationQueries,
    private readonly assetGroups: AssetGroupCommands,
    private readonly assetGroupQueries: AssetGroupQueries,
  ) {}

  async tag(caller: Caller, arn: string, tags: LicenseManager.Tag[]): Promise<void> {
    const slice = sliceOf(arn);
    if (slice === 'ruleset') await this.assetGroups.tagRuleset(caller, arn, tags);
    else if (slice === 'group') await this.assetGroups.tagGroup(caller, arn, tags);
    else await this.configurations.tag(caller, arn, tags);
  }

  async untag(caller: Caller, arn: string, tagKeys: string[]): Promise<void> {
    const slice = sliceOf(arn);
    if (slice === 'ruleset') await this.assetGroups.untagRuleset(caller, arn, tagKeys);
    else if (slice === 'group') await this.assetGroups.untagGroup(caller, arn, tagKeys);
    else await this.configurations.untag(caller, arn, tagKeys);
  }

  tags(caller: Caller, arn: string): Promise<LicenseManager.ListTagsForResourceResponse> {
    const slice = sliceOf(arn);
    if (slice === 'ruleset') return this.assetGroupQueries.rulesetTags(caller, arn);
    if (slice === 'group') return this.assetGroupQueries.groupTags(caller, arn);
    return this.configurationQueries.tags(caller, arn);
  }
}
