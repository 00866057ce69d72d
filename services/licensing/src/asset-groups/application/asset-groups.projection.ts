import { defineProjection, type Recorded } from '@lm/event-store';
import type { Transaction } from 'kysely';
import { LICENSING_SCHEMA } from '../../shared/schema';
import type { AssetGroupsEvent, GroupEvent, RulesetEvent } from '../domain/events';
import { evolveGroup, groupIdOfStream, isGroupStream, type GroupState } from '../domain/group';
import { evolveRuleset, isRulesetStream, rulesetIdOfStream, type RulesetState } from '../domain/ruleset';
import { AssetGroupMembership } from './asset-group-membership';
import type { AssetGroupsViews } from './asset-groups.views';

type Db = Transaction<AssetGroupsViews>;

/** The ruleset's state before an event, from its row; 'already-applied' for a replay. */
async function rulesetBefore(
  db: Db,
  id: string,
  event: Recorded<RulesetEvent>,
): Promise<RulesetState | 'already-applied'> {
  const row = await db
    .selectFrom('license_asset_rulesets')
    .select(['version', 'document'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (row && row.version >= event.streamVersion) return 'already-applied';
  return row ? { status: 'present', ruleset: row.document } : { status: 'absent' };
}

async function groupBefore(db: Db, id: string, event: Recorded<GroupEvent>): Promise<GroupState | 'already-applied'> {
  const row = await db
    .selectFrom('license_asset_groups')
    .select(['version', 'document'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (row && row.version >= event.streamVersion) return 'already-applied';
  return row ? { status: 'present', group: row.document } : { status: 'absent' };
}

async function projectRuleset(db: Db, event: Recorded<RulesetEvent>, membership: AssetGroupMembership) {
  const id = rulesetIdOfStream(event.streamName);
  const before = await rulesetBefore(db, id, event);
  if (before === 'already-applied') return;
  const after = evolveRuleset(before, event);
  if (after.status !== 'present') {
    await db.deleteFrom('license_asset_rulesets').where('id', '=', id).execute();
    return;
  }
  const r = after.ruleset;
  const values = { name: r.name, version: event.streamVersion, document: JSON.stringify(r) };
  await db
    .insertInto('license_asset_rulesets')
    .values({ id, arn: r.arn, owner_account_id: r.ownerAccountId, region: r.region, ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
  // The guide: a ruleset's edits are "automatically reflected in all license asset groups using the same ruleset".
  if (event.type === 'LicenseAssetRulesetUpdated') await membership.rulesetChanged(r.arn, event.recordedAt);
}

async function projectGroup(db: Db, event: Recorded<GroupEvent>, membership: AssetGroupMembership) {
  const id = groupIdOfStream(event.streamName);
  const before = await groupBefore(db, id, event);
  if (before === 'already-applied') return;
  const after = evolveGroup(before, event);
  if (after.status !== 'present') {
    if (before.status !== 'present') return;
    const arn = before.group.arn;
    await db.deleteFrom('license_asset_groups').where('id', '=', id).execute();
    await db.deleteFrom('license_asset_group_rulesets').where('group_arn', '=', arn).execute();
    await membership.groupChanged(arn, event.recordedAt);
    return;
  }
  const g = after.group;
  const values = { status: g.status, version: event.streamVersion, document: JSON.stringify(g) };
  await db
    .insertInto('license_asset_groups')
    .values({ id, arn: g.arn, owner_account_id: g.ownerAccountId, region: g.region, ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
  if (event.type === 'LicenseAssetGroupCreated' || event.type === 'LicenseAssetGroupUpdated') {
    await db.deleteFrom('license_asset_group_rulesets').where('group_arn', '=', g.arn).execute();
    await db
      .insertInto('license_asset_group_rulesets')
      .values(g.rulesetArns.map((ruleset_arn) => ({ group_arn: g.arn, ruleset_arn })))
      .execute();
    await membership.groupChanged(g.arn, event.recordedAt);
  }
}

/**
 * The rulesets' and groups' views, each row folded with the domain's own evolve and remembering
 * the stream version it reflects (replays change nothing), and the membership their changes
 * imply: a group created, changed or deleted, or a ruleset it uses edited, is evaluated again in
 * the same transaction.
 */
export const licenseAssetGroupsProjection = defineProjection<AssetGroupsEvent, AssetGroupsViews>()({
  name: 'license-asset-groups',
  eventTypes: [
    'LicenseAssetRulesetCreated',
    'LicenseAssetRulesetUpdated',
    'LicenseAssetRulesetTagged',
    'LicenseAssetRulesetUntagged',
    'LicenseAssetRulesetDeleted',
    'LicenseAssetGroupCreated',
    'LicenseAssetGroupUpdated',
    'LicenseAssetGroupTagged',
    'LicenseAssetGroupUntagged',
    'LicenseAssetGroupDeleted',
  ],
  async handle(events, trx) {
    const db = trx.withSchema(LICENSING_SCHEMA);
    const membership = new AssetGroupMembership(trx);
    for (const event of events) {
      if (isRulesetStream(event.streamName)) await projectRuleset(db, event as Recorded<RulesetEvent>, membership);
      else if (isGroupStream(event.streamName)) await projectGroup(db, event as Recorded<GroupEvent>, membership);
    }
  },
  async truncate(db) {
    const schema = db.withSchema(LICENSING_SCHEMA);
    for (const table of [
      'license_asset_rulesets',
      'license_asset_groups',
      'license_asset_group_discovery',
      'license_asset_group_rulesets',
      'license_asset_group_members',
    ] as const) {
      await schema.deleteFrom(table).execute();
    }
  },
});
