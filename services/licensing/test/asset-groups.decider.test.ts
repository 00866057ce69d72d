import type { LicenseManager } from '@lm/api-model';
import { DeciderSpecification } from '@lm/event-store';
import { describe, expect, it } from 'vitest';
import { groupArn, groupIdFor, rulesetArn, rulesetIdFor } from '../src/asset-groups/domain/arn';
import { groupDecider, type GroupCommand } from '../src/asset-groups/domain/group';
import { managedRulesets } from '../src/asset-groups/domain/managed-rulesets';
import { rulesetDecider, type RulesetCommand } from '../src/asset-groups/domain/ruleset';

const now = new Date('2026-01-01T00:00:00Z');
const accountId = '111111111111';
const region = 'us-east-1';
const rules: LicenseManager.LicenseAssetRule[] = [
  {
    RuleStatement: {
      InstanceRuleStatement: {
        MatchingRuleStatement: { KeyToMatch: 'Platform', Constraint: 'EQUALS', ValueToMatch: ['Windows'] },
      },
    },
  },
];
const rulesetId = rulesetIdFor(accountId, region, 'token-1');
const ruleset = rulesetArn(region, accountId, rulesetId);
const invalid = (message: RegExp) => ({ code: 'InvalidParameterValueException', message });

describe('ruleset decider', () => {
  const { given, history } = DeciderSpecification.for(rulesetDecider);
  const create: RulesetCommand = {
    type: 'CreateLicenseAssetRuleset',
    id: rulesetId,
    arn: ruleset,
    accountId,
    region,
    now,
    clientToken: 'token-1',
    requestHash: 'h1',
    input: { Name: 'Windows', Rules: rules, ClientToken: 'token-1', Tags: [{ Key: 'team', Value: 'a' }] },
  };
  const created = history(create);
  const target = { arn: ruleset, accountId };

  it('creates a ruleset with its tags; a retry of the same request changes nothing, another with its token is refused', () => {
    expect(created).toMatchObject([
      { type: 'LicenseAssetRulesetCreated', data: { name: 'Windows', rules, tags: { team: 'a' } } },
    ]);
    given(created).when(create).thenNothing();
    given(created)
      .when({ ...create, requestHash: 'h2' })
      .thenThrows({ code: 'ValidationException' });
  });

  it('refuses more than five rules and bad statements, storing nothing', () => {
    given([])
      .when({ ...create, input: { ...create.input, Rules: Array(6).fill(rules[0]) } })
      .thenThrows(invalid(/at most 5 rules/));
    given([])
      .when({ ...create, input: { ...create.input, Name: ' ' } })
      .thenThrows(invalid(/Name/));
  });

  it('updates rules whole, keeping name and description when not given', () => {
    const more = [...rules, rules[0]];
    given(created)
      .when({
        type: 'UpdateLicenseAssetRuleset',
        ...target,
        now,
        input: { ...target, LicenseAssetRulesetArn: ruleset, Rules: more, ClientToken: 'u' },
      })
      .thenState((state) =>
        expect(state).toMatchObject({ status: 'present', ruleset: { name: 'Windows', rules: more } }),
      );
  });

  it('answers another account as if the ruleset did not exist', () => {
    given(created)
      .when({ type: 'DeleteLicenseAssetRuleset', arn: ruleset, accountId: '222222222222', now })
      .thenThrows(invalid(/does not exist/));
    given([])
      .when({ type: 'TagLicenseAssetRuleset', ...target, tags: [] })
      .thenThrows(invalid(/does not exist/));
  });

  it('tags, untags and deletes; a deleted ruleset is gone', () => {
    const tagged = given(created)
      .when({ type: 'TagLicenseAssetRuleset', ...target, tags: [{ Key: 'env', Value: 'prod' }] })
      .decided();
    given([...created, ...tagged])
      .when({ type: 'UntagLicenseAssetRuleset', ...target, tagKeys: ['team', 'absent'] })
      .then([{ type: 'LicenseAssetRulesetUntagged', data: { tagKeys: ['team'] } }]);
    given(created)
      .when({ type: 'TagLicenseAssetRuleset', ...target, tags: [{ Key: 'aws:x', Value: '' }] })
      .thenThrows(invalid(/reserved/));
    const deleted = given(created)
      .when({ type: 'DeleteLicenseAssetRuleset', ...target, now })
      .decided();
    given([...created, ...deleted])
      .when({ type: 'DeleteLicenseAssetRuleset', ...target, now })
      .thenThrows(invalid(/does not exist/));
  });
});

describe('group decider', () => {
  const { given, history } = DeciderSpecification.for(groupDecider);
  const id = groupIdFor(accountId, region, 'g-1');
  const arn = groupArn(region, accountId, id);
  const managed = managedRulesets(region)[0].arn;
  const create: GroupCommand = {
    type: 'CreateLicenseAssetGroup',
    id,
    arn,
    accountId,
    region,
    now,
    clientToken: 'g-1',
    requestHash: 'h1',
    input: {
      Name: 'Windows fleet',
      LicenseAssetGroupConfigurations: [{ UsageDimension: 'vCPU' }],
      AssociatedLicenseAssetRulesetARNs: [ruleset, managed, ruleset],
      Properties: [{ Key: 'cost-center', Value: '42' }],
      ClientToken: 'g-1',
    },
  };
  const created = history(create);
  const update = (input: Partial<LicenseManager.UpdateLicenseAssetGroupRequest>): GroupCommand => ({
    type: 'UpdateLicenseAssetGroup',
    arn,
    accountId,
    region,
    now,
    input: { LicenseAssetGroupArn: arn, AssociatedLicenseAssetRulesetARNs: [managed], ClientToken: 'u', ...input },
  });

  it('creates an ACTIVE group with its rulesets once each', () => {
    expect(created).toMatchObject([
      {
        type: 'LicenseAssetGroupCreated',
        data: { status: 'ACTIVE', usageDimension: 'vCPU', rulesetArns: [ruleset, managed] },
      },
    ]);
  });

  it.each([
    [
      { LicenseAssetGroupConfigurations: [{ UsageDimension: 'Seats' }] },
      /UsageDimension must be one of vCPU, Sockets, Instance, Core/,
    ],
    [{ LicenseAssetGroupConfigurations: [] }, /exactly one/],
    [{ AssociatedLicenseAssetRulesetARNs: [] }, /at least one ruleset/],
    [{ AssociatedLicenseAssetRulesetARNs: [rulesetArn(region, '222222222222', rulesetId)] }, /does not exist/],
    [
      {
        Properties: [
          { Key: 'a', Value: '1' },
          { Key: 'a', Value: '2' },
        ],
      },
      /given twice/,
    ],
    [{ Name: '' }, /Name/],
  ])('refuses %j', (input, message) => {
    given([])
      .when({ ...create, input: { ...create.input, ...input } } as GroupCommand)
      .thenThrows(invalid(message));
  });

  it('updates what the request sets, DISABLED and back; DELETED is not a status to set', () => {
    given(created)
      .when(update({ Status: 'DISABLED', Name: 'renamed' }))
      .thenState((state) =>
        expect(state).toMatchObject({
          status: 'present',
          group: { status: 'DISABLED', name: 'renamed', rulesetArns: [managed], usageDimension: 'vCPU' },
        }),
      );
    given(created)
      .when(update({ Status: 'DELETED' }))
      .thenThrows(invalid(/ACTIVE or DISABLED/));
    given(created)
      .when({ ...update({}), accountId: '333333333333' })
      .thenThrows(invalid(/does not exist/));
  });

  it('deletes irreversibly', () => {
    const deleted = given(created).when({ type: 'DeleteLicenseAssetGroup', arn, accountId, now }).decided();
    given([...created, ...deleted])
      .when(update({}))
      .thenThrows(invalid(/does not exist/));
    given([...created, ...deleted])
      .when(create)
      .thenThrows({ code: 'ValidationException' });
  });
});

describe('group usage', () => {
  const { given, history } = DeciderSpecification.for(groupDecider);
  const id = groupIdFor(accountId, region, 'usage');
  const arn = groupArn(region, accountId, id);
  const created = history({
    type: 'CreateLicenseAssetGroup',
    id,
    arn,
    accountId,
    region,
    now,
    clientToken: 'usage',
    requestHash: 'h',
    input: {
      Name: 'usage',
      LicenseAssetGroupConfigurations: [{ UsageDimension: 'Core' }],
      AssociatedLicenseAssetRulesetARNs: [managedRulesets(region)[0].arn],
      ClientToken: 'usage',
    },
  });
  const usage = { licenseCountingType: 'Core' as const, instanceCount: 2, consumedLicenses: 8 };
  const analyse = (at: Date, counted = usage): GroupCommand => ({
    type: 'AnalyseLicenseAssetGroupUsage',
    arn,
    accountId,
    now: at,
    usage: counted,
  });

  it('records a change at once, the same usage again only an hour later, and nothing once deleted', () => {
    const recorded = given(created)
      .when(analyse(now))
      .then([
        {
          type: 'LicenseAssetGroupUsageAnalysed',
          data: { groupArn: arn, ownerAccountId: accountId, ...usage, analysedAt: now.toISOString() },
        },
      ]);
    const later = (ms: number) => new Date(now.getTime() + ms);
    given([...created, ...recorded])
      .when(analyse(later(59 * 60_000)))
      .thenNothing();
    given([...created, ...recorded])
      .when(analyse(later(60_000), { ...usage, consumedLicenses: 4 }))
      .then((events) => expect(events).toMatchObject([{ data: { consumedLicenses: 4 } }]));
    given([...created, ...recorded])
      .when(analyse(later(60 * 60_000)))
      .then((events) => expect(events).toHaveLength(1));
    const deleted = given(created).when({ type: 'DeleteLicenseAssetGroup', arn, accountId, now }).decided();
    given([...created, ...deleted])
      .when(analyse(now))
      .thenNothing();
  });
});
