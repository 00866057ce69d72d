import { defineGuard, type Recorded } from '@lm/event-store';
import type { Transaction } from 'kysely';
import { LICENSING_SCHEMA } from '../../shared/schema';
import { rulesetInUse, rulesetNotFound } from '../domain/errors';
import type { AssetGroupsEvent, GroupEvent } from '../domain/events';
import { isManagedRulesetArn } from '../domain/managed-rulesets';
import { rulesetIdOfStream } from '../domain/ruleset';
import type { AssetGroupsViews } from './asset-groups.views';

type Db = Transaction<AssetGroupsViews>;

/** The custom rulesets a group's event names exist now; their rows stay locked until the append commits. */
async function assertRulesetsExist(db: Db, event: Recorded<GroupEvent>): Promise<void> {
  const arns =
    event.type === 'LicenseAssetGroupCreated'
      ? event.data.rulesetArns
      : event.type === 'LicenseAssetGroupUpdated'
        ? (event.data.changes.rulesetArns ?? [])
        : [];
  for (const arn of arns) {
    if (isManagedRulesetArn(arn)) continue;
    const row = await db
      .selectFrom('license_asset_rulesets')
      .select('id')
      .where('arn', '=', arn)
      .forShare()
      .executeTakeFirst();
    if (!row) throw rulesetNotFound(arn);
  }
}

/** The guide: "rulesets cannot be deleted until they have been removed from all license asset groups". */
async function assertRulesetUnused(db: Db, streamName: string): Promise<void> {
  const ruleset = await db
    .selectFrom('license_asset_rulesets')
    .select('arn')
    .where('id', '=', rulesetIdOfStream(streamName))
    .forUpdate()
    .executeTakeFirst();
  if (!ruleset) return;
  const { groups } = await db
    .selectFrom('license_asset_group_rulesets')
    .select((eb) => eb.fn.countAll<string>().as('groups'))
    .where('ruleset_arn', '=', ruleset.arn)
    .executeTakeFirstOrThrow();
  if (Number(groups) > 0) throw rulesetInUse(ruleset.arn, Number(groups));
}

/**
 * The rules between rulesets and groups, in the append's transaction: a group names rulesets that
 * exist (locked for share), and a ruleset in use is not deleted (its row locked for update, so a
 * group taking it up waits for the deletion's outcome, and the deletion for the group's).
 */
export const licenseAssetGroupsGuard = defineGuard<AssetGroupsEvent, AssetGroupsViews>()({
  name: 'license-asset-groups-rules',
  eventTypes: ['LicenseAssetGroupCreated', 'LicenseAssetGroupUpdated', 'LicenseAssetRulesetDeleted'],
  async handle(events, trx) {
    const db = trx.withSchema(LICENSING_SCHEMA);
    for (const event of events) {
      if (event.type === 'LicenseAssetRulesetDeleted') await assertRulesetUnused(db, event.streamName);
      else await assertRulesetsExist(db, event as Recorded<GroupEvent>);
    }
  },
  async truncate() {
    // Keeps nothing of its own.
  },
});
