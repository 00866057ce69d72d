import type { LicenseManager } from '@lm/api-model';
import { sql, type Transaction } from 'kysely';
import { isGone } from '../../shared/resource';
import { LICENSING_SCHEMA } from '../../shared/schema';
import { configurationAsset, instanceAsset, isInstance } from '../domain/asset-facts';
import type { Group } from '../domain/group';
import { managedRuleset } from '../domain/managed-rulesets';
import { rulesetDiscovers, type Asset } from '../domain/rule-statements';
import type { AssetGroupsViews } from './asset-groups.views';

type Db = Transaction<AssetGroupsViews>;
const INSTANCE_TYPES = ['EC2_INSTANCE', 'SYSTEMS_MANAGER_MANAGED_INSTANCE'];

/**
 * What each group's rulesets discover, kept as the events that change it arrive: an asset
 * observed, changed or gone (inventory, licences, configurations) is evaluated against its
 * owner's groups; a group created or changed, or a ruleset it uses edited, is evaluated against
 * every asset of its owner. Each runs in the transaction that records its event, under a lock
 * of the owner account held to its commit: of two changes that race (a group created as an
 * instance is reported), the one that takes the lock second sees the other's rows, so neither is
 * missed. Under that lock it writes only rows that nothing writes without it (members, discovery
 * times), so it never waits on a row another holder of a lock it needs has taken.
 */
export class AssetGroupMembership {
  private readonly db: Db;

  constructor(trx: Transaction<any>) {
    this.db = (trx as Db).withSchema(LICENSING_SCHEMA);
  }

  /** An asset of `ownerAccountId` as it is now (`undefined`: gone), evaluated against the owner's active groups. */
  async assetChanged(ownerAccountId: string, asset: Asset, present: boolean, at: Date): Promise<void> {
    await this.lockOwner(ownerAccountId);
    const groups = await this.activeGroups(ownerAccountId);
    for (const group of groups) {
      const rules = await this.rulesOf(group);
      const key = { group_arn: group.arn, asset_type: asset.type, asset_arn: asset.arn };
      if (present && rulesetDiscovers(rules, asset)) {
        await this.db
          .insertInto('license_asset_group_members')
          .values({ ...key, discovered_at: at })
          .onConflict((oc) => oc.columns(['group_arn', 'asset_type', 'asset_arn']).doUpdateSet({ discovered_at: at }))
          .execute();
      } else {
        await this.db
          .deleteFrom('license_asset_group_members')
          .where('group_arn', '=', key.group_arn)
          .where('asset_type', '=', key.asset_type)
          .where('asset_arn', '=', key.asset_arn)
          .execute();
      }
    }
    await this.analysed(
      groups.map((g) => g.arn),
      at,
    );
  }

  /** Every group using a ruleset whose rules changed. */
  async rulesetChanged(rulesetArn: string, at: Date): Promise<void> {
    const rows = await this.db
      .selectFrom('license_asset_group_rulesets')
      .select('group_arn')
      .where('ruleset_arn', '=', rulesetArn)
      .execute();
    for (const { group_arn } of rows) await this.groupChanged(group_arn, at);
  }

  /**
   * A group evaluated against every asset of its owner; a disabled or deleted group discovers
   * nothing. Assets that stay members keep the time they were found.
   */
  async groupChanged(groupArn: string, at: Date): Promise<void> {
    const row = await this.db
      .selectFrom('license_asset_groups')
      .select(['document', 'status'])
      .where('arn', '=', groupArn)
      .executeTakeFirst();
    if (row) await this.lockOwner(row.document.ownerAccountId);
    const found = row?.status === 'ACTIVE' ? await this.discover(row.document) : [];
    const existing = await this.db
      .selectFrom('license_asset_group_members')
      .select(['asset_type', 'asset_arn'])
      .where('group_arn', '=', groupArn)
      .execute();
    const keyOf = (type: string, arn: string) => `${type} ${arn}`;
    const wanted = new Set(found.map((a) => keyOf(a.type, a.arn)));
    const kept = new Set(existing.map((m) => keyOf(m.asset_type, m.asset_arn)));
    for (const member of existing.filter((m) => !wanted.has(keyOf(m.asset_type, m.asset_arn)))) {
      await this.db
        .deleteFrom('license_asset_group_members')
        .where('group_arn', '=', groupArn)
        .where('asset_type', '=', member.asset_type)
        .where('asset_arn', '=', member.asset_arn)
        .execute();
    }
    const added = found.filter((a) => !kept.has(keyOf(a.type, a.arn)));
    if (added.length > 0) {
      await this.db
        .insertInto('license_asset_group_members')
        .values(added.map((a) => ({ group_arn: groupArn, asset_type: a.type, asset_arn: a.arn, discovered_at: at })))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    if (row) await this.analysed([groupArn], at);
    else await this.db.deleteFrom('license_asset_group_discovery').where('group_arn', '=', groupArn).execute();
  }

  /** What a group's rulesets discover among its owner's instances, licences and configurations. */
  private async discover(group: Group): Promise<Asset[]> {
    const rules = await this.rulesOf(group);
    const instances = await this.db
      .selectFrom('resources')
      .select('facts')
      .where('account_id', '=', group.ownerAccountId)
      .where('resource_type', 'in', INSTANCE_TYPES)
      .where('active', '=', true)
      .execute();
    const licences = await this.db
      .selectFrom('license_asset_licences')
      .select('asset')
      .where('issuer_account_id', '=', group.ownerAccountId)
      .execute();
    const configurations = await this.db
      .selectFrom('license_configurations')
      .select('document')
      .where('owner_account_id', '=', group.ownerAccountId)
      .execute();
    const assets = [
      ...instances.filter(({ facts }) => isInstance(facts) && !isGone(facts)).map(({ facts }) => instanceAsset(facts)),
      ...licences.map(({ asset }) => asset),
      ...configurations.map(({ document }) => configurationAsset(document.arn, document.ownerAccountId)),
    ];
    return assets.filter((asset) => rulesetDiscovers(rules, asset));
  }

  private async activeGroups(ownerAccountId: string): Promise<Group[]> {
    const rows = await this.db
      .selectFrom('license_asset_groups')
      .select('document')
      .where('owner_account_id', '=', ownerAccountId)
      .where('status', '=', 'ACTIVE')
      .execute();
    return rows.map((r) => r.document);
  }

  /** The rules of every ruleset a group uses: AWS-managed ones from the seed, custom ones from their view. */
  private async rulesOf(group: Group): Promise<LicenseManager.LicenseAssetRule[]> {
    const custom = group.rulesetArns.filter((arn) => !managedRuleset(group.region, arn));
    const rows =
      custom.length === 0
        ? []
        : await this.db.selectFrom('license_asset_rulesets').select('document').where('arn', 'in', custom).execute();
    return [
      ...group.rulesetArns.flatMap((arn) => managedRuleset(group.region, arn)?.rules ?? []),
      ...rows.flatMap((r) => r.document.rules),
    ];
  }

  /** The groups' discovery and usage analysis ran at `at` (LatestResourceDiscoveryTime, LatestUsageAnalysisTime). */
  private async analysed(groupArns: string[], at: Date): Promise<void> {
    if (groupArns.length === 0) return;
    const times = { latest_resource_discovery_time: at, latest_usage_analysis_time: at };
    await this.db
      .insertInto('license_asset_group_discovery')
      .values(groupArns.map((group_arn) => ({ group_arn, ...times })))
      .onConflict((oc) => oc.column('group_arn').doUpdateSet(times))
      .execute();
  }

  private async lockOwner(accountId: string): Promise<void> {
    await sql`select pg_advisory_xact_lock(hashtext(${`license-asset-groups:${accountId}`}))`.execute(this.db);
  }
}
