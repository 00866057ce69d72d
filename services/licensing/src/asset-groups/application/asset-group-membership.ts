import type { LicenseManager } from '@lm/api-model';
import { precompiled } from '@lm/event-store';
import { sql, type Kysely, type Transaction } from 'kysely';
import { isGone } from '../../shared/resource';
import { LICENSING_SCHEMA } from '../../shared/schema';
import { configurationAsset, instanceAsset, isInstance } from '../domain/asset-facts';
import type { Group } from '../domain/group';
import { managedRuleset } from '../domain/managed-rulesets';
import { rulesetDiscovers, type Asset } from '../domain/rule-statements';
import { ACCOUNT_LOCK_PREFIX, COVERING_GROUPS_FUNCTION, type AssetGroupsViews } from './asset-groups.views';
import { receivedLicences } from './received-licences';

type Db = Transaction<AssetGroupsViews>;

/** An active group covering an asset's accounts, and whether it covers one of the asset's holders. */
interface CoveringGroup {
  group: Group;
  coversHolder: boolean;
}
/** An asset of `ownerAccountId` as it is at `at` (`present` false: gone). */
export interface AssetChange {
  ownerAccountId: string;
  asset: Asset;
  present: boolean;
  at: Date;
}

const INSTANCE_TYPES = ['EC2_INSTANCE', 'SYSTEMS_MANAGER_MANAGED_INSTANCE'];

/** See AssetGroupMembership.lockAndReadCovering; compiled once (every change of an asset runs it). */
const lockAndReadCoveringGroups = precompiled(
  (db: Kysely<any>, p: { accountIds: string[]; holders: string[] }) =>
    sql<{ group_document: Group; covers_holder: boolean }>`select group_document, covers_holder
    from ${sql.table(`${LICENSING_SCHEMA}.${COVERING_GROUPS_FUNCTION}`)}(${p.accountIds}::text[], ${p.holders}::text[])`,
);

/**
 * What each group's rulesets discover, kept as the events that change it arrive: an asset
 * observed, changed or gone (inventory, licences, configurations) is evaluated against the groups
 * covering its account (a licence: its issuer's and those of the accounts its grants are to); a group created or changed, a ruleset it uses edited, or its owner's
 * settings changed, against every asset of the accounts it covers. Each runs in the transaction
 * that records its event, under locks of the accounts whose groups it evaluates, held to its
 * commit: of two changes that race (a group created as an instance is reported), the one that
 * takes the lock second sees the other's rows, so neither is missed. Under those locks it writes
 * only rows that nothing writes without them (members, discovery times), so it never waits on a
 * row that another holder of a lock it needs has taken.
 */
export class AssetGroupMembership {
  private readonly db: Db;

  constructor(trx: Transaction<any>) {
    this.db = (trx as Db).withSchema(LICENSING_SCHEMA);
  }

  /** An asset of `ownerAccountId` as it is now (`present` false: gone), evaluated against the active groups covering it. */
  async assetChanged(ownerAccountId: string, asset: Asset, present: boolean, at: Date): Promise<void> {
    await this.assetHeld(asset, present ? [ownerAccountId] : [], [ownerAccountId], at);
  }

  /**
   * Assets of several accounts changed together (the configurations one append creates or
   * deletes): their accounts are locked, and the groups covering any of them read, in one call.
   * When none covers any (most appends), that is all there is to do, one round trip for the lot
   * where each asset took its own; else each is evaluated as assetChanged does, under the locks
   * taken already (advisory locks are taken again at no cost in the same transaction).
   */
  async assetsChanged(changes: readonly AssetChange[]): Promise<void> {
    if (changes.length > 1) {
      const accounts = [...new Set(changes.map((change) => change.ownerAccountId))];
      if ((await this.lockAndReadCovering(accounts, accounts)).length === 0) return;
    }
    for (const { ownerAccountId, asset, present, at } of changes)
      await this.assetChanged(ownerAccountId, asset, present, at);
  }

  /**
   * An asset as it is now, held by the accounts `holders` (a licence: its issuer and those that
   * receive it; none: gone), evaluated against the active groups covering any of `concerned` (the
   * holders, and accounts that may just have stopped holding it): a group has it when it covers
   * one of its holders and its rulesets discover it.
   */
  async assetHeld(asset: Asset, holders: string[], concerned: string[], at: Date): Promise<void> {
    const accounts = [...new Set([...holders, ...concerned])];
    const covering = await this.lockAndReadCovering(accounts, holders);
    // Most assets are in no group: nothing more to read or write (two statements in all).
    if (covering.length === 0) return;
    const groups = covering.map((c) => c.group);
    const coveringHolder = new Set(covering.filter((c) => c.coversHolder).map((c) => c.group.arn));
    const rulesOf = await this.rulesOfGroups(groups);
    const found = groups.filter((group) => coveringHolder.has(group.arn) && rulesetDiscovers(rulesOf(group), asset));
    const left = groups.filter((group) => !found.includes(group));
    if (left.length > 0) {
      await this.db
        .deleteFrom('license_asset_group_members')
        .where(
          'group_arn',
          'in',
          left.map((g) => g.arn),
        )
        .where('asset_type', '=', asset.type)
        .where('asset_arn', '=', asset.arn)
        .execute();
    }
    if (found.length > 0) {
      await this.db
        .insertInto('license_asset_group_members')
        .values(
          found.map((g) => ({ group_arn: g.arn, asset_type: asset.type, asset_arn: asset.arn, discovered_at: at })),
        )
        .onConflict((oc) => oc.columns(['group_arn', 'asset_type', 'asset_arn']).doUpdateSet({ discovered_at: at }))
        .execute();
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

  /**
   * What a group's rulesets discover among the instances, licences (issued, and received through
   * grants) and configurations of the accounts it covers.
   */
  private async discover(group: Group): Promise<Asset[]> {
    const rules = (await this.rulesOfGroups([group]))(group);
    const accounts = await this.coveredAccounts(group);
    const instances = await this.db
      .selectFrom('resources')
      .select('facts')
      .where('account_id', 'in', accounts)
      .where('resource_type', 'in', INSTANCE_TYPES)
      .where('active', '=', true)
      .execute();
    const issued = await this.db
      .selectFrom('license_asset_licences')
      .select(['license_arn', 'asset'])
      .where('issuer_account_id', 'in', accounts)
      .where('asset', 'is not', null)
      .execute();
    const received = await receivedLicences(this.db).where('g.grantee_account_id', 'in', accounts).execute();
    // A licence issued by one covered account and received by another is one asset.
    const licences = new Map([...issued, ...received].map(({ license_arn, asset }) => [license_arn, asset!]));
    const configurations = await this.db
      .selectFrom('license_configurations')
      .select('document')
      .where('owner_account_id', 'in', accounts)
      .execute();
    const assets = [
      ...instances.filter(({ facts }) => isInstance(facts) && !isGone(facts)).map(({ facts }) => instanceAsset(facts)),
      ...licences.values(),
      ...configurations.map(({ document }) => configurationAsset(document.arn, document.ownerAccountId)),
    ];
    return assets.filter((asset) => rulesetDiscovers(rules, asset));
  }

  /**
   * The accounts a group covers: its owner's, and when the owner runs cross-account discovery in the
   * group's Region (only an organization's management account can), its organization's.
   */
  private async coveredAccounts(group: Group): Promise<string[]> {
    const settings = await this.db
      .selectFrom('service_settings')
      .select(['cross_account_discovery', 'member_account_ids'])
      .where('account_id', '=', group.ownerAccountId)
      .where('region', '=', group.region)
      .executeTakeFirst();
    return settings?.cross_account_discovery
      ? [...new Set([group.ownerAccountId, ...settings.member_account_ids])]
      : [group.ownerAccountId];
  }

  /**
   * Locks the accounts and every account whose groups cover one of them, then reads the active
   * groups covering any of the accounts (their own, and their managers': coveredAccounts) and
   * whether each covers one of `holders`, in one call (COVERING_GROUPS_FUNCTION, which says how).
   */
  private async lockAndReadCovering(accountIds: string[], holders: string[]): Promise<CoveringGroup[]> {
    const { rows } = await lockAndReadCoveringGroups(this.db, { accountIds, holders });
    return rows.map((row) => ({ group: row.group_document, coversHolder: row.covers_holder }));
  }

  /**
   * The rules of every ruleset each group uses: AWS-managed ones from the seed, custom ones from
   * their view (read in one query for all the groups).
   */
  private async rulesOfGroups(groups: Group[]): Promise<(group: Group) => LicenseManager.LicenseAssetRule[]> {
    const custom = [...new Set(groups.flatMap((g) => g.rulesetArns.filter((arn) => !managedRuleset(g.region, arn))))];
    const rows =
      custom.length === 0
        ? []
        : await this.db
            .selectFrom('license_asset_rulesets')
            .select(['arn', 'document'])
            .where('arn', 'in', custom)
            .execute();
    const customRules = new Map(rows.map((r) => [r.arn, r.document.rules]));
    return (group) =>
      group.rulesetArns.flatMap((arn) => managedRuleset(group.region, arn)?.rules ?? customRules.get(arn) ?? []);
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
    await sql`select pg_advisory_xact_lock(hashtext(${ACCOUNT_LOCK_PREFIX + accountId}))`.execute(this.db);
  }
}
