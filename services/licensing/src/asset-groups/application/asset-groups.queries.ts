import { Inject, Injectable } from '@nestjs/common';
import type { LicenseManager } from '@lm/api-model';
import { invalidParameterValue, type Caller } from '@lm/contracts';
import { DATABASE, pageOf, singleValueFilters } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { toTagList } from '../../configurations/domain/tags';
import { LICENSING_SCHEMA } from '../../shared/schema';
import { groupNotFound, managedRulesetReadOnly, rulesetNotFound } from '../domain/errors';
import type { Group } from '../domain/group';
import { isManagedRulesetArn, managedRuleset, managedRulesets } from '../domain/managed-rulesets';
import { ASSET_TYPES, type AssetType } from '../domain/rule-statements';
import type { AssetGroupsViews, LicenseAssetGroupsTable } from './asset-groups.views';
import type { Selectable } from 'kysely';

const PAGE_RULES = { defaultSize: 100, maxSize: 100 };
const FILTER_RULES = { manyValuesError: 'InvalidParameterValueException' } as const;
const epochSeconds = (at: Date | null) => (at === null ? undefined : at.getTime() / 1000);

type RulesetOutput = LicenseManager.LicenseAssetRuleset;

type GroupRow = Pick<Selectable<LicenseAssetGroupsTable>, 'arn' | 'document'> & {
  latest_resource_discovery_time: Date | null;
  latest_usage_analysis_time: Date | null;
};

function groupOutput(row: GroupRow): LicenseManager.LicenseAssetGroup {
  const g: Group = row.document;
  return {
    Name: g.name,
    Description: g.description,
    LicenseAssetGroupConfigurations: [{ UsageDimension: g.usageDimension }],
    AssociatedLicenseAssetRulesetARNs: g.rulesetArns,
    Properties: g.properties,
    LicenseAssetGroupArn: g.arn,
    Status: g.status,
    LatestUsageAnalysisTime: epochSeconds(row.latest_usage_analysis_time),
    LatestResourceDiscoveryTime: epochSeconds(row.latest_resource_discovery_time),
  };
}

/** What a caller reads of its rulesets (and AWS's), its groups and what they discover. */
@Injectable()
export class AssetGroupQueries {
  private readonly db: Kysely<AssetGroupsViews>;

  constructor(@Inject(DATABASE) db: Kysely<AssetGroupsViews>) {
    this.db = db.withSchema(LICENSING_SCHEMA);
  }

  async getRuleset(caller: Caller, arn: string): Promise<LicenseManager.GetLicenseAssetRulesetResponse> {
    const managed = managedRuleset(caller.region, arn);
    if (managed) {
      const { name, description, rules } = managed;
      return {
        LicenseAssetRuleset: { Name: name, Description: description, Rules: rules, LicenseAssetRulesetArn: arn },
      };
    }
    return { LicenseAssetRuleset: rulesetOutput(await this.ownRuleset(caller, arn)) };
  }

  /** The caller's custom rulesets in ARN order, and AWS's when asked for (ShowAWSManagedLicenseAssetRulesets). */
  async listRulesets(
    caller: Caller,
    input: LicenseManager.ListLicenseAssetRulesetsRequest,
  ): Promise<LicenseManager.ListLicenseAssetRulesetsResponse> {
    const filters = singleValueFilters(input.Filters, { Name: 'name' }, FILTER_RULES);
    const page = pageOf<{ arn: string }>(caller.accountId, input, PAGE_RULES);
    let query = this.db
      .selectFrom('license_asset_rulesets')
      .select('document')
      .where('owner_account_id', '=', caller.accountId)
      .where('region', '=', caller.region);
    for (const [column, value] of filters) query = query.where(column, '=', value);
    if (page.after) query = query.where('arn', '>', page.after.arn);
    const custom = (
      await query
        .orderBy('arn')
        .limit(page.limit + 1)
        .execute()
    ).map((r) => rulesetOutput(r.document));
    const managed = input.ShowAWSManagedLicenseAssetRulesets
      ? managedRulesets(caller.region)
          .filter((m) => filters.every(([, value]) => m.name === value))
          .filter((m) => !page.after || m.arn > page.after.arn)
          .map((m) => ({ Name: m.name, Description: m.description, Rules: m.rules, LicenseAssetRulesetArn: m.arn }))
      : [];
    const rows = [...custom, ...managed].sort((a, b) => (a.LicenseAssetRulesetArn < b.LicenseAssetRulesetArn ? -1 : 1));
    const { items, NextToken } = page.cut(rows.slice(0, page.limit + 1), (r) => ({ arn: r.LicenseAssetRulesetArn }));
    return { LicenseAssetRulesets: items, NextToken };
  }

  async getGroup(caller: Caller, arn: string): Promise<LicenseManager.GetLicenseAssetGroupResponse> {
    return { LicenseAssetGroup: groupOutput(await this.ownGroup(caller, arn)) };
  }

  /** The caller's groups in ARN order; the filter LicenseAssetRulesetArn keeps those using that ruleset. */
  async listGroups(
    caller: Caller,
    input: LicenseManager.ListLicenseAssetGroupsRequest,
  ): Promise<LicenseManager.ListLicenseAssetGroupsResponse> {
    const filters = singleValueFilters(input.Filters, { LicenseAssetRulesetArn: 'ruleset_arn' }, FILTER_RULES);
    const page = pageOf<{ arn: string }>(caller.accountId, input, PAGE_RULES);
    let query = this.db.selectFrom(this.groups(caller)).selectAll();
    for (const [, rulesetArn] of filters) {
      query = query.where('arn', 'in', (eb) =>
        eb.selectFrom('license_asset_group_rulesets').select('group_arn').where('ruleset_arn', '=', rulesetArn),
      );
    }
    if (page.after) query = query.where('arn', '>', page.after.arn);
    const rows = await query
      .orderBy('arn')
      .limit(page.limit + 1)
      .execute();
    const { items, NextToken } = page.cut(rows, (r) => ({ arn: r.arn }));
    return { LicenseAssetGroups: items.map(groupOutput), NextToken };
  }

  /** The assets of one type the group's rulesets discover, in ARN order, with when each was last found. */
  async listAssets(
    caller: Caller,
    input: LicenseManager.ListAssetsForLicenseAssetGroupRequest,
  ): Promise<LicenseManager.ListAssetsForLicenseAssetGroupResponse> {
    if (!(ASSET_TYPES as readonly string[]).includes(input.AssetType))
      throw invalidParameterValue(`AssetType must be one of ${ASSET_TYPES.join(', ')} (not ${input.AssetType}).`);
    const group = await this.ownGroup(caller, input.LicenseAssetGroupArn);
    const page = pageOf<{ arn: string }>(caller.accountId, input, PAGE_RULES);
    let query = this.db
      .selectFrom('license_asset_group_members')
      .select(['asset_arn', 'discovered_at'])
      .where('group_arn', '=', group.arn)
      .where('asset_type', '=', input.AssetType as AssetType);
    if (page.after) query = query.where('asset_arn', '>', page.after.arn);
    const rows = await query
      .orderBy('asset_arn')
      .limit(page.limit + 1)
      .execute();
    const { items, NextToken } = page.cut(rows, (r) => ({ arn: r.asset_arn }));
    return {
      Assets: items.map((r) => ({ AssetArn: r.asset_arn, LatestAssetDiscoveryTime: epochSeconds(r.discovered_at) })),
      NextToken,
    };
  }

  async rulesetTags(caller: Caller, arn: string): Promise<LicenseManager.ListTagsForResourceResponse> {
    if (isManagedRulesetArn(arn)) throw managedRulesetReadOnly(arn);
    return { Tags: toTagList((await this.ownRuleset(caller, arn)).tags) };
  }

  async groupTags(caller: Caller, arn: string): Promise<LicenseManager.ListTagsForResourceResponse> {
    return { Tags: toTagList((await this.ownGroup(caller, arn)).document.tags) };
  }

  /** The caller's groups with when their membership was last worked out. */
  private groups(caller: Caller) {
    return this.db
      .selectFrom('license_asset_groups as g')
      .leftJoin('license_asset_group_discovery as d', 'd.group_arn', 'g.arn')
      .select(['g.arn', 'g.document', 'd.latest_resource_discovery_time', 'd.latest_usage_analysis_time'])
      .where('g.owner_account_id', '=', caller.accountId)
      .where('g.region', '=', caller.region)
      .as('groups');
  }

  private async ownRuleset(caller: Caller, arn: string) {
    const row = await this.db
      .selectFrom('license_asset_rulesets')
      .select('document')
      .where('arn', '=', arn)
      .where('owner_account_id', '=', caller.accountId)
      .where('region', '=', caller.region)
      .executeTakeFirst();
    if (!row) throw rulesetNotFound(arn);
    return row.document;
  }

  private async ownGroup(caller: Caller, arn: string) {
    const row = await this.db.selectFrom(this.groups(caller)).selectAll().where('arn', '=', arn).executeTakeFirst();
    if (!row) throw groupNotFound(arn);
    return row;
  }
}

function rulesetOutput(r: {
  arn: string;
  name: string;
  description?: string;
  rules: LicenseManager.LicenseAssetRule[];
}): RulesetOutput {
  return { Name: r.name, Description: r.description, Rules: r.rules, LicenseAssetRulesetArn: r.arn };
}
