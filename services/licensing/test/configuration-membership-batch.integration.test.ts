import { applyProjection, type Recorded } from '@lm/event-store';
import { openServiceStorageOf, type ServiceStorage } from '@lm/service-kit';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_LOCK_PREFIX } from '../src/asset-groups/application/asset-groups.views';
import { licenseAssetGroupsProjection } from '../src/asset-groups/application/asset-groups.projection';
import { configurationMembershipProjection } from '../src/asset-groups/application/configuration-membership.projection';
import { groupArn, groupIdFor, rulesetArn, rulesetIdFor } from '../src/asset-groups/domain/arn';
import type { AssetGroupsEvent } from '../src/asset-groups/domain/events';
import { groupStream } from '../src/asset-groups/domain/group';
import { rulesetStream } from '../src/asset-groups/domain/ruleset';
import { licenseConfigurationArn } from '../src/configurations/domain/arn';
import { licenseConfigurationStream } from '../src/configurations/domain/decide';
import { LicensingService } from '../src/licensing.service';
import { LICENSING_SCHEMA } from '../src/shared/schema';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

const REGION = 'us-east-1';
const GROUPED = '111111111111';
const UNGROUPED = ['222222222222', '333333333333'];
const CREATED_AT = new Date(Date.UTC(2026, 2, 1));

let ids = 0;
function recorded<E>(streamName: string, streamVersion: number, event: { type: string; data: unknown }): Recorded<E> {
  ids += 1;
  return {
    ...event,
    eventId: `event-${ids}`,
    streamName,
    streamVersion,
    position: String(ids).padStart(20, '0'),
    metadata: {},
    recordedAt: CREATED_AT,
  } as Recorded<E>;
}

/** A configuration's creation or deletion, with the data the membership projection reads. */
function configurationEvent(
  type: 'LicenseConfigurationCreated' | 'LicenseConfigurationDeleted',
  owner: string,
  id: string,
) {
  const arn = licenseConfigurationArn(REGION, owner, id);
  return recorded<never>(licenseConfigurationStream(id), type === 'LicenseConfigurationCreated' ? 1 : 2, {
    type,
    data: { arn, ownerAccountId: owner, region: REGION },
  });
}

/** A group of `owner` whose ruleset finds the owner's license configurations. */
function configurationGroup(owner: string): { arn: string; events: Recorded<AssetGroupsEvent>[] } {
  const rulesetId = rulesetIdFor(owner, REGION, 'configurations');
  const ruleset = rulesetArn(REGION, owner, rulesetId);
  const groupId = groupIdFor(owner, REGION, 'configurations');
  const common = {
    clientToken: 'configurations',
    requestHash: 'hash',
    tags: {},
    createdAt: CREATED_AT.toISOString(),
    region: REGION,
  };
  const matching = { KeyToMatch: 'AccountId', Constraint: 'EQUALS', ValueToMatch: [owner] };
  return {
    arn: groupArn(REGION, owner, groupId),
    events: [
      recorded(rulesetStream(rulesetId), 1, {
        type: 'LicenseAssetRulesetCreated',
        data: {
          id: rulesetId,
          arn: ruleset,
          ownerAccountId: owner,
          name: 'Configurations',
          rules: [{ RuleStatement: { LicenseConfigurationRuleStatement: { MatchingRuleStatement: matching } } }],
          ...common,
        },
      }),
      recorded(groupStream(groupId), 1, {
        type: 'LicenseAssetGroupCreated',
        data: {
          id: groupId,
          arn: groupArn(REGION, owner, groupId),
          ownerAccountId: owner,
          name: 'Configurations',
          usageDimension: 'Instance',
          rulesetArns: [ruleset],
          properties: [],
          status: 'ACTIVE',
          ...common,
        },
      }),
    ],
  };
}

/**
 * The configurations of one append (a group commit: creates of many accounts) are evaluated
 * against the groups covering their accounts together: one lookup when no group covers any of
 * them, each one's own when some do.
 */
describe('license configurations created and deleted together join and leave their owners’ groups', () => {
  let database: TestDatabase;
  let storage: ServiceStorage;
  let group: string;
  const observers: Client[] = [];

  const applyInTransaction = (events: Recorded<never>[]) =>
    storage.db.transaction().execute((trx) => applyProjection(configurationMembershipProjection, events, trx));
  const membersOf = async (arn: string) =>
    (
      await storage.db
        .withSchema(LICENSING_SCHEMA)
        .selectFrom('license_asset_group_members')
        .select('asset_arn')
        .where('group_arn', '=', arn)
        .orderBy('asset_arn')
        .execute()
    ).map((row) => row.asset_arn);
  /** Whether a session other than the projection's holds the account's asset-groups lock now. */
  const lockedElsewhere = async (account: string) => {
    const observer = new Client({ connectionString: database.url });
    await observer.connect();
    observers.push(observer);
    const lock = `hashtext('${ACCOUNT_LOCK_PREFIX}${account}')`;
    const { rows } = await observer.query(`select pg_try_advisory_lock(${lock}) as free`);
    if (rows[0].free) await observer.query(`select pg_advisory_unlock(${lock})`);
    return !rows[0].free;
  };

  beforeAll(async () => {
    database = await createTestDatabase('lm_configuration_membership');
    storage = await openServiceStorageOf(LicensingService, { DATABASE_URL: database.url });
    const { arn, events } = configurationGroup(GROUPED);
    group = arn;
    await storage.db
      .transaction()
      .execute((trx) => applyProjection(licenseAssetGroupsProjection, events as never, trx));
  });
  afterAll(async () => {
    await Promise.all(observers.map((observer) => observer.end()));
    await storage?.close();
    await database?.drop();
  });

  it("a batch of three accounts' creates: the grouped account's configurations join its group, the others none", async () => {
    await applyInTransaction([
      configurationEvent('LicenseConfigurationCreated', UNGROUPED[0], 'lc-a1'),
      configurationEvent('LicenseConfigurationCreated', GROUPED, 'lc-g1'),
      configurationEvent('LicenseConfigurationCreated', UNGROUPED[1], 'lc-b1'),
      configurationEvent('LicenseConfigurationCreated', GROUPED, 'lc-g2'),
    ]);
    expect(await membersOf(group)).toEqual([
      licenseConfigurationArn(REGION, GROUPED, 'lc-g1'),
      licenseConfigurationArn(REGION, GROUPED, 'lc-g2'),
    ]);
  });

  it('a batch that deletes one of them and creates another account’s: the deleted one leaves', async () => {
    await applyInTransaction([
      configurationEvent('LicenseConfigurationDeleted', GROUPED, 'lc-g1'),
      configurationEvent('LicenseConfigurationCreated', UNGROUPED[0], 'lc-a2'),
    ]);
    expect(await membersOf(group)).toEqual([licenseConfigurationArn(REGION, GROUPED, 'lc-g2')]);
  });

  it('a batch that no group covers changes nothing, and holds every account’s lock until it commits', async () => {
    const before = await membersOf(group);
    await storage.db.transaction().execute(async (trx) => {
      await applyProjection(
        configurationMembershipProjection,
        [
          configurationEvent('LicenseConfigurationCreated', UNGROUPED[1], 'lc-b2'),
          configurationEvent('LicenseConfigurationCreated', UNGROUPED[0], 'lc-a3'),
        ],
        trx,
      );
      // A group created for either account meanwhile waits, and then finds these configurations.
      expect(await lockedElsewhere(UNGROUPED[0])).toBe(true);
      expect(await lockedElsewhere(UNGROUPED[1])).toBe(true);
      expect(await lockedElsewhere(GROUPED)).toBe(false);
    });
    expect(await lockedElsewhere(UNGROUPED[0])).toBe(false);
    expect(await membersOf(group)).toEqual(before);
  });
});
