import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AcceptGrantCommand,
  CreateGrantCommand,
  CreateGrantVersionCommand,
  CreateLicenseAssetGroupCommand,
  CreateLicenseAssetRulesetCommand,
  CreateLicenseCommand,
  CreateLicenseConfigurationCommand,
  DeleteLicenseAssetRulesetCommand,
  DeleteLicenseConfigurationCommand,
  DeleteLicenseCommand,
  GetLicenseCommand,
  GetLicenseManagerReportGeneratorCommand,
  ListAssetsForLicenseAssetGroupCommand,
  ListLicenseConfigurationsCommand,
  UpdateServiceSettingsCommand,
  type LicenseAssetRule,
} from '@aws-sdk/client-license-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, boto3Batch, licenseManager, type Boto3Call } from '../support/clients';
import { reportAndAwaitLicensing, type ObservedResource } from '../support/inventory';
import { eventually } from '../support/linux-subscriptions';
import { accounts, principals, startSystem, type RunningSystem } from '../support/system';

type Account = (typeof accounts)[keyof typeof accounts];
type Call = Boto3Call;

const region = 'us-east-1';
const member = accounts.member;
const outsider = accounts.outsider;
let idCounter = 0;
const instanceId = () => `i-0a55e7${(++idCounter).toString(16).padStart(11, '0')}`;

const instance = (accountId: string, attributes: Partial<ObservedResource>): ObservedResource => ({
  accountId,
  region,
  resourceId: instanceId(),
  resourceType: 'EC2_INSTANCE',
  state: 'running',
  ...attributes,
});

const matching = (KeyToMatch: string, ValueToMatch: string[], Constraint = 'EQUALS') => ({
  KeyToMatch,
  Constraint,
  ValueToMatch,
});
const instanceRule = (statement: object): LicenseAssetRule => ({ RuleStatement: { InstanceRuleStatement: statement } });
const platformRule = (platform: string) => instanceRule({ MatchingRuleStatement: matching('Platform', [platform]) });

/**
 * License asset rulesets and groups end to end: a fleet reported through ReportResources (the
 * inventory API), configurations and seller-issued licences made through the API, rulesets and
 * groups driven with boto3 (one python process per test) and a few AWS CLI calls; what each group
 * discovers read with ListAssetsForLicenseAssetGroup.
 */
describe('license asset rulesets and groups', () => {
  let system: RunningSystem;
  const win = instance(member.accountId, {
    platform: 'Windows',
    usageOperation: 'RunInstances:0006',
    instanceType: 'm5.xlarge',
    vCpuCount: 4,
    coreCount: 2,
    socketCount: 1,
    amiId: 'ami-0feed0001',
    hostId: 'h-0feed0001',
    productCodes: [{ productCodeId: 'prodwin0e2e', productCodeType: 'marketplace' }],
    billingProducts: ['bp-6ba54002'],
  });
  const rhel = instance(member.accountId, {
    platform: 'Red Hat Enterprise Linux',
    usageOperation: 'RunInstances:0010',
    instanceType: 't3.large',
    amiId: 'ami-0feed0002',
  });
  const ubuntu = instance(member.accountId, {
    platform: 'Ubuntu',
    usageOperation: 'RunInstances:0g00',
    instanceType: 't3.micro',
  });
  const outsiderWindows = instance(outsider.accountId, { platform: 'Windows', usageOperation: 'RunInstances:0002' });
  const arnOf = (r: ObservedResource) => `arn:aws:ec2:${region}:${r.accountId}:instance/${r.resourceId}`;
  let configurationArn: string;
  let licenceArn: string;
  const reportsDir = mkdtempSync(join(tmpdir(), 'lm-asset-group-reports-'));

  const boto3 = (account: Account, calls: Call[]) => boto3Batch(system, account, 'license-manager', calls);
  const assetsOf = async (groupArn: string, AssetType: string, account: Account = member) =>
    (
      await licenseManager(system, account).send(
        new ListAssetsForLicenseAssetGroupCommand({ LicenseAssetGroupArn: groupArn, AssetType }),
      )
    )
      .Assets!.map((a) => a.AssetArn!)
      .sort();
  /** A custom ruleset of these rules and a vCPU group using it, as the account (through the JS SDK). */
  const groupOf = async (rules: LicenseAssetRule[], account: Account = member) => {
    const client = licenseManager(system, account);
    const { LicenseAssetRulesetArn } = await client.send(
      new CreateLicenseAssetRulesetCommand({ Name: `rs-${randomUUID()}`, Rules: rules, ClientToken: randomUUID() }),
    );
    const { LicenseAssetGroupArn } = await client.send(
      new CreateLicenseAssetGroupCommand({
        Name: `group-${randomUUID()}`,
        LicenseAssetGroupConfigurations: [{ UsageDimension: 'vCPU' }],
        AssociatedLicenseAssetRulesetARNs: [LicenseAssetRulesetArn!],
        ClientToken: randomUUID(),
      }),
    );
    return { rulesetArn: LicenseAssetRulesetArn!, groupArn: LicenseAssetGroupArn! };
  };

  beforeAll(async () => {
    // Each group's usage worked out every second (LM_ASSET_GROUP_USAGE_MS): reporting's metrics follow soon;
    // reports written as files (LM_REPORTS_DIR) and generators run within a second.
    system = await startSystem({
      LM_ASSET_GROUP_USAGE_MS: '1000',
      LM_REPORTS_DIR: reportsDir,
      LM_REPORT_SWEEP_MS: '500',
    });
    await reportAndAwaitLicensing(system, [win, rhel, ubuntu, outsiderWindows]);
    const client = licenseManager(system, member);
    ({ LicenseConfigurationArn: configurationArn } = (await client.send(
      new CreateLicenseConfigurationCommand({ Name: 'sql-e2e', LicenseCountingType: 'vCPU' }),
    )) as { LicenseConfigurationArn: string });
    ({ LicenseArn: licenceArn } = (await client.send(
      new CreateLicenseCommand({
        LicenseName: 'Analytics e2e',
        ProductName: 'Analytics',
        ProductSKU: 'analytics-e2e',
        Issuer: { Name: 'ExampleSoft' },
        HomeRegion: region,
        Validity: { Begin: new Date(Date.now() - 86_400_000).toISOString() },
        Entitlements: [{ Name: 'Seats', Unit: 'Count', MaxCount: 10 }],
        Beneficiary: 'customer-42',
        ConsumptionConfiguration: { RenewType: 'None', ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } },
        ClientToken: randomUUID(),
      }),
    )) as { LicenseArn: string });
    // The licence reaches licensing through grants' events: a group of it shows when it has.
    const { groupArn } = await groupOf([
      { RuleStatement: { LicenseRuleStatement: { MatchingRuleStatement: matching('LicenseArn', [licenceArn]) } } },
    ]);
    const licences = await eventually(
      () => assetsOf(groupArn, 'License'),
      (arns) => arns.length === 1,
    );
    expect(licences).toEqual([licenceArn]);
  }, 240_000);

  afterAll(async () => {
    await system?.stop();
    rmSync(reportsDir, { recursive: true, force: true });
  });

  it('lists the AWS-managed rulesets on request, read-only, and groups them with the instances they discover', async () => {
    const managedArn = (slug: string) => `arn:aws:license-manager:${region}:aws:ruleset/aws-managed-${slug}`;
    const sqlStandard = managedArn('sql-server-standard');
    const out = await boto3(member, [
      { name: 'managed', op: 'list_license_asset_rulesets', params: { ShowAWSManagedLicenseAssetRulesets: true } },
      { name: 'own', op: 'list_license_asset_rulesets', params: {} },
      { name: 'get', op: 'get_license_asset_ruleset', params: { LicenseAssetRulesetArn: sqlStandard } },
      {
        name: 'update',
        op: 'update_license_asset_ruleset',
        params: { LicenseAssetRulesetArn: sqlStandard, Rules: [platformRule('Linux')], ClientToken: 'u1' },
      },
      { name: 'delete', op: 'delete_license_asset_ruleset', params: { LicenseAssetRulesetArn: sqlStandard } },
      ...[
        ['sql', 'sql-server-standard'],
        ['rhel', 'red-hat-enterprise-linux'],
        ['ubuntu', 'ubuntu-pro'],
        ['windows', 'windows-server-datacenter'],
        ['suse', 'suse-enterprise-linux'],
      ].map(([name, slug]) => ({
        name: `group-${name}`,
        op: 'create_license_asset_group',
        params: {
          Name: `managed ${name}`,
          LicenseAssetGroupConfigurations: [{ UsageDimension: 'Core' }],
          AssociatedLicenseAssetRulesetARNs: [managedArn(slug)],
          ClientToken: `managed-${name}`,
        },
      })),
    ]);
    const managedOnes = out.managed.result.LicenseAssetRulesets.filter((r: any) =>
      r.LicenseAssetRulesetArn.includes(':aws:ruleset/'),
    );
    expect(out.managed.result.LicenseAssetRulesets.length).toBe(managedOnes.length + 1); // and the licence probe's
    expect(managedOnes.map((r: any) => r.Name).sort()).toEqual([
      'Microsoft SQL Server Enterprise Edition',
      'Microsoft SQL Server Standard Edition',
      'Microsoft Windows Server Datacenter',
      'Red Hat Enterprise Linux',
      'SUSE Enterprise Linux',
      'Ubuntu Pro',
    ]);
    expect(
      out.own.result.LicenseAssetRulesets.filter((r: any) => r.LicenseAssetRulesetArn.includes(':aws:ruleset/')),
    ).toEqual([]);
    expect(out.get.result.LicenseAssetRuleset).toMatchObject({
      Name: 'Microsoft SQL Server Standard Edition',
      LicenseAssetRulesetArn: sqlStandard,
    });
    for (const refused of [out.update, out.delete]) {
      expect(refused.error).toMatchObject({ Code: 'InvalidParameterValueException', Status: 400 });
      expect(refused.error!.Message).toMatch(/managed by AWS/);
    }
    const discovered = async (name: string) => assetsOf(out[`group-${name}`].result.LicenseAssetGroupArn, 'Instance');
    expect(out['group-sql'].result.Status).toBe('ACTIVE');
    expect(await discovered('sql')).toEqual([arnOf(win)]);
    expect(await discovered('rhel')).toEqual([arnOf(rhel)]);
    expect(await discovered('ubuntu')).toEqual([arnOf(ubuntu)]);
    expect(await discovered('windows')).toEqual([arnOf(win)]);
    expect(await discovered('suse')).toEqual([]);
  });

  it('discovers instances, licences and configurations by every KeyToMatch, EQUALS and NOT_EQUALS', async () => {
    const instanceKeys: [string, string[], ObservedResource[]][] = [
      ['Platform', ['Linux'], [rhel, ubuntu]],
      ['EC2BillingProduct', ['rhel', 'ubuntu-pro'], [rhel, ubuntu]],
      ['EC2BillingProduct', ['bp-6ba54002'], [win]],
      ['MarketPlaceProductCode', ['prodwin0e2e'], [win]],
      ['AMIId', ['ami-0feed0002'], [rhel]],
      ['InstanceType', ['t3.micro', 'm5.xlarge'], [win, ubuntu]],
      ['InstanceId', [ubuntu.resourceId], [ubuntu]],
      ['HostId', ['h-0feed0001'], [win]],
      ['AccountId', [member.accountId], [win, rhel, ubuntu]],
    ];
    const licenceKeys: [string, string][] = [
      ['LicenseArn', licenceArn],
      ['ProductSKU', 'analytics-e2e'],
      ['Issuer', 'ExampleSoft'],
      ['Beneficiary', 'customer-42'],
      ['LicenseStatus', 'AVAILABLE'],
      ['HomeRegion', region],
    ];
    const configurationKeys: [string, string][] = [
      ['LicenseConfigurationArn', configurationArn],
      ['AccountId', member.accountId],
    ];
    const cases = [
      ...instanceKeys.map(([key, values, expected], i) => ({
        name: `instance-${i}`,
        statement: { InstanceRuleStatement: { MatchingRuleStatement: matching(key, values) } },
        negated: { InstanceRuleStatement: { MatchingRuleStatement: matching(key, values, 'NOT_EQUALS') } },
        type: 'Instance',
        expected: expected.map(arnOf).sort(),
        all: [win, rhel, ubuntu].map(arnOf).sort(),
      })),
      ...licenceKeys.map(([key, value], i) => ({
        name: `licence-${i}`,
        statement: { LicenseRuleStatement: { MatchingRuleStatement: matching(key, [value]) } },
        negated: { LicenseRuleStatement: { MatchingRuleStatement: matching(key, [value], 'NOT_EQUALS') } },
        type: 'License',
        expected: [licenceArn],
        all: [licenceArn],
      })),
      ...configurationKeys.map(([key, value], i) => ({
        name: `configuration-${i}`,
        statement: { LicenseConfigurationRuleStatement: { MatchingRuleStatement: matching(key, [value]) } },
        negated: { LicenseConfigurationRuleStatement: { MatchingRuleStatement: matching(key, [value], 'NOT_EQUALS') } },
        type: 'LicenseConfiguration',
        expected: [configurationArn],
        all: [configurationArn],
      })),
    ];
    const calls: Call[] = cases.flatMap((c) =>
      (['statement', 'negated'] as const).map((variant) => ({
        name: `${c.name}-${variant}`,
        op: 'create_license_asset_ruleset',
        params: {
          Name: `${c.name}-${variant}`,
          Rules: [{ RuleStatement: c[variant] }],
          ClientToken: `${c.name}-${variant}`,
        },
      })),
    );
    const rulesets = await boto3(member, calls);
    const groups = await boto3(
      member,
      calls.map((call) => ({
        name: call.name,
        op: 'create_license_asset_group',
        params: {
          Name: call.name,
          LicenseAssetGroupConfigurations: [{ UsageDimension: 'Instance' }],
          AssociatedLicenseAssetRulesetARNs: [rulesets[call.name].result.LicenseAssetRulesetArn],
          ClientToken: `group-${call.name}`,
        },
      })),
    );
    for (const c of cases) {
      const equals = await assetsOf(groups[`${c.name}-statement`].result.LicenseAssetGroupArn, c.type);
      const notEquals = await assetsOf(groups[`${c.name}-negated`].result.LicenseAssetGroupArn, c.type);
      expect({ case: c.name, equals, notEquals }).toEqual({
        case: c.name,
        equals: c.expected,
        notEquals: c.all.filter((arn) => !c.expected.includes(arn)),
      });
    }
  });

  it('follows the inventory as resources come, change and go, and a ruleset edit re-evaluates its groups', async () => {
    const created = await awsCli(system, member, [
      'license-manager',
      'create-license-asset-ruleset',
      '--name',
      'large instances',
      '--rules',
      JSON.stringify([
        instanceRule({
          AndRuleStatement: {
            MatchingRuleStatements: [matching('Platform', ['Windows'])],
            ScriptRuleStatements: [{ KeyToMatch: 'InstanceType', Script: 'value endsWith "xlarge"' }],
          },
        }),
      ]),
      '--client-token',
      randomUUID(),
    ]);
    const rulesetArn = JSON.parse(created.stdout).LicenseAssetRulesetArn;
    const group = await awsCli(system, member, [
      'license-manager',
      'create-license-asset-group',
      '--name',
      'Windows large',
      '--license-asset-group-configurations',
      'UsageDimension=vCPU',
      '--associated-license-asset-ruleset-arns',
      rulesetArn,
      '--client-token',
      randomUUID(),
    ]);
    const groupArn = JSON.parse(group.stdout).LicenseAssetGroupArn;
    expect(await assetsOf(groupArn, 'Instance')).toEqual([arnOf(win)]);

    const newcomer = instance(member.accountId, { platform: 'Windows', instanceType: 'c5.2xlarge' });
    await reportAndAwaitLicensing(system, [newcomer]);
    expect(await assetsOf(groupArn, 'Instance')).toEqual([arnOf(win), arnOf(newcomer)].sort());

    await reportAndAwaitLicensing(system, [{ ...newcomer, instanceType: 't3.small' }]);
    expect(await assetsOf(groupArn, 'Instance')).toEqual([arnOf(win)]);
    await reportAndAwaitLicensing(system, [{ ...newcomer, instanceType: 'r5.xlarge' }]);
    expect(await assetsOf(groupArn, 'Instance')).toEqual([arnOf(win), arnOf(newcomer)].sort());
    await reportAndAwaitLicensing(system, [{ ...newcomer, instanceType: 'r5.xlarge', state: 'terminated' }]);
    expect(await assetsOf(groupArn, 'Instance')).toEqual([arnOf(win)]);

    const out = await boto3(member, [
      {
        name: 'edit',
        op: 'update_license_asset_ruleset',
        params: { LicenseAssetRulesetArn: rulesetArn, Rules: [platformRule('Linux')], ClientToken: randomUUID() },
      },
      {
        name: 'after-edit',
        op: 'list_assets_for_license_asset_group',
        params: { LicenseAssetGroupArn: groupArn, AssetType: 'Instance' },
      },
      {
        name: 'disable',
        op: 'update_license_asset_group',
        params: {
          LicenseAssetGroupArn: groupArn,
          AssociatedLicenseAssetRulesetARNs: [rulesetArn],
          Status: 'DISABLED',
          ClientToken: randomUUID(),
        },
      },
      {
        name: 'disabled',
        op: 'list_assets_for_license_asset_group',
        params: { LicenseAssetGroupArn: groupArn, AssetType: 'Instance' },
      },
      {
        name: 'enable',
        op: 'update_license_asset_group',
        params: {
          LicenseAssetGroupArn: groupArn,
          AssociatedLicenseAssetRulesetARNs: [rulesetArn],
          Status: 'ACTIVE',
          Name: 'Linux',
          Properties: [{ Key: 'owner', Value: 'platform-team' }],
          LicenseAssetGroupConfigurations: [{ UsageDimension: 'Sockets' }],
          ClientToken: randomUUID(),
        },
      },
      { name: 'get', op: 'get_license_asset_group', params: { LicenseAssetGroupArn: groupArn } },
    ]);
    expect(out.edit.result).toEqual({ LicenseAssetRulesetArn: rulesetArn });
    expect(out['after-edit'].result.Assets.map((a: any) => a.AssetArn).sort()).toEqual(
      [arnOf(rhel), arnOf(ubuntu)].sort(),
    );
    expect(out['after-edit'].result.Assets.every((a: any) => a.LatestAssetDiscoveryTime)).toBe(true);
    expect(out.disable.result).toEqual({ LicenseAssetGroupArn: groupArn, Status: 'DISABLED' });
    expect(out.disabled.result.Assets).toEqual([]);
    expect(out.get.result.LicenseAssetGroup).toMatchObject({
      Name: 'Linux',
      Status: 'ACTIVE',
      LicenseAssetGroupConfigurations: [{ UsageDimension: 'Sockets' }],
      AssociatedLicenseAssetRulesetARNs: [rulesetArn],
      Properties: [{ Key: 'owner', Value: 'platform-team' }],
      LicenseAssetGroupArn: groupArn,
    });
    expect(out.get.result.LicenseAssetGroup.LatestResourceDiscoveryTime).toBeTruthy();
    expect(out.get.result.LicenseAssetGroup.LatestUsageAnalysisTime).toBeTruthy();
    expect(await assetsOf(groupArn, 'Instance')).toEqual([arnOf(rhel), arnOf(ubuntu)].sort());
  });

  it('keeps rulesets in use, deletes groups irreversibly without their rulesets, tags both, filters and pages', async () => {
    const { rulesetArn, groupArn } = await groupOf([platformRule('Windows')]);
    const out = await boto3(member, [
      { name: 'in-use', op: 'delete_license_asset_ruleset', params: { LicenseAssetRulesetArn: rulesetArn } },
      {
        name: 'tag-group',
        op: 'tag_resource',
        params: {
          ResourceArn: groupArn,
          Tags: [
            { Key: 'team', Value: 'a' },
            { Key: 'env', Value: 'p' },
          ],
        },
      },
      { name: 'untag-group', op: 'untag_resource', params: { ResourceArn: groupArn, TagKeys: ['env'] } },
      { name: 'group-tags', op: 'list_tags_for_resource', params: { ResourceArn: groupArn } },
      {
        name: 'tag-ruleset',
        op: 'tag_resource',
        params: { ResourceArn: rulesetArn, Tags: [{ Key: 'kind', Value: 'windows' }] },
      },
      { name: 'ruleset-tags', op: 'list_tags_for_resource', params: { ResourceArn: rulesetArn } },
      {
        name: 'by-ruleset',
        op: 'list_license_asset_groups',
        params: { Filters: [{ Name: 'LicenseAssetRulesetArn', Values: [rulesetArn] }] },
      },
      { name: 'all-groups', op: 'list_license_asset_groups', params: { MaxResults: 3 }, pages: true },
      {
        name: 'all-rulesets',
        op: 'list_license_asset_rulesets',
        params: { MaxResults: 4, ShowAWSManagedLicenseAssetRulesets: true },
        pages: true,
      },
      {
        name: 'named',
        op: 'list_license_asset_rulesets',
        params: { Filters: [{ Name: 'Name', Values: ['large instances'] }] },
      },
      { name: 'delete-group', op: 'delete_license_asset_group', params: { LicenseAssetGroupArn: groupArn } },
      { name: 'group-gone', op: 'get_license_asset_group', params: { LicenseAssetGroupArn: groupArn } },
      { name: 'delete-again', op: 'delete_license_asset_group', params: { LicenseAssetGroupArn: groupArn } },
      { name: 'ruleset-kept', op: 'get_license_asset_ruleset', params: { LicenseAssetRulesetArn: rulesetArn } },
      { name: 'delete-ruleset', op: 'delete_license_asset_ruleset', params: { LicenseAssetRulesetArn: rulesetArn } },
      { name: 'ruleset-gone', op: 'get_license_asset_ruleset', params: { LicenseAssetRulesetArn: rulesetArn } },
    ]);
    expect(out['in-use'].error).toMatchObject({ Code: 'InvalidParameterValueException', Status: 400 });
    expect(out['in-use'].error!.Message).toMatch(/used by 1 license asset group/);
    expect(out['group-tags'].result.Tags).toEqual([{ Key: 'team', Value: 'a' }]);
    expect(out['ruleset-tags'].result.Tags).toEqual([{ Key: 'kind', Value: 'windows' }]);
    expect(out['by-ruleset'].result.LicenseAssetGroups.map((g: any) => g.LicenseAssetGroupArn)).toEqual([groupArn]);
    const groupArns = out['all-groups'].items!.map((g: any) => g.LicenseAssetGroupArn);
    expect(groupArns).toContain(groupArn);
    expect(new Set(groupArns).size).toBe(groupArns.length);
    expect(out['all-groups'].pages).toBeGreaterThan(1);
    const rulesetArns = out['all-rulesets'].items!.map((r: any) => r.LicenseAssetRulesetArn);
    expect(rulesetArns).toEqual([...rulesetArns].sort());
    expect(rulesetArns.filter((arn: string) => arn.includes(':aws:ruleset/'))).toHaveLength(6);
    expect(out.named.result.LicenseAssetRulesets.map((r: any) => r.Name)).toEqual(['large instances']);
    expect(out['delete-group'].result).toEqual({ Status: 'DELETED' });
    for (const gone of [out['group-gone'], out['delete-again'], out['ruleset-gone']]) {
      expect(gone.error).toMatchObject({ Code: 'InvalidParameterValueException', Status: 400 });
      expect(gone.error!.Message).toMatch(/does not exist/);
    }
    expect(out['ruleset-kept'].result.LicenseAssetRuleset.LicenseAssetRulesetArn).toBe(rulesetArn);
    expect(out['delete-ruleset'].result).toEqual({});
  });

  it('shows another account nothing of a group or ruleset, and its own groups discover only its own assets', async () => {
    const own = await groupOf([platformRule('Windows')]);
    const theirs = await groupOf([platformRule('Windows')], outsider);
    const out = await boto3(outsider, [
      { name: 'get-group', op: 'get_license_asset_group', params: { LicenseAssetGroupArn: own.groupArn } },
      { name: 'get-ruleset', op: 'get_license_asset_ruleset', params: { LicenseAssetRulesetArn: own.rulesetArn } },
      {
        name: 'update-group',
        op: 'update_license_asset_group',
        params: {
          LicenseAssetGroupArn: own.groupArn,
          AssociatedLicenseAssetRulesetARNs: [theirs.rulesetArn],
          ClientToken: 'x',
        },
      },
      {
        name: 'update-ruleset',
        op: 'update_license_asset_ruleset',
        params: { LicenseAssetRulesetArn: own.rulesetArn, Rules: [platformRule('Linux')], ClientToken: 'x' },
      },
      { name: 'delete-group', op: 'delete_license_asset_group', params: { LicenseAssetGroupArn: own.groupArn } },
      {
        name: 'delete-ruleset',
        op: 'delete_license_asset_ruleset',
        params: { LicenseAssetRulesetArn: own.rulesetArn },
      },
      {
        name: 'assets',
        op: 'list_assets_for_license_asset_group',
        params: { LicenseAssetGroupArn: own.groupArn, AssetType: 'Instance' },
      },
      { name: 'tags', op: 'list_tags_for_resource', params: { ResourceArn: own.groupArn } },
      {
        name: 'borrow-ruleset',
        op: 'create_license_asset_group',
        params: {
          Name: 'borrowed',
          LicenseAssetGroupConfigurations: [{ UsageDimension: 'vCPU' }],
          AssociatedLicenseAssetRulesetARNs: [own.rulesetArn],
          ClientToken: 'borrow',
        },
      },
      { name: 'groups', op: 'list_license_asset_groups', params: {}, pages: true },
      { name: 'rulesets', op: 'list_license_asset_rulesets', params: {}, pages: true },
    ]);
    for (const name of [
      'get-group',
      'get-ruleset',
      'update-group',
      'update-ruleset',
      'delete-group',
      'delete-ruleset',
      'assets',
      'tags',
      'borrow-ruleset',
    ]) {
      expect({ name, error: out[name].error?.Code }).toEqual({ name, error: 'InvalidParameterValueException' });
    }
    expect(out.groups.items!.map((g: any) => g.LicenseAssetGroupArn)).toEqual([theirs.groupArn]);
    expect(out.rulesets.items!.map((r: any) => r.LicenseAssetRulesetArn)).toEqual([theirs.rulesetArn]);
    expect(await assetsOf(theirs.groupArn, 'Instance', outsider)).toEqual([arnOf(outsiderWindows)]);
    expect(await assetsOf(own.groupArn, 'Instance')).toEqual([arnOf(win)]);
  });

  it('answers bad input on all 11 operations with the modeled error, storing nothing', async () => {
    const { rulesetArn, groupArn } = await groupOf([platformRule('Windows')]);
    const before = await boto3(member, [
      { name: 'groups', op: 'list_license_asset_groups', params: {}, pages: true },
      { name: 'rulesets', op: 'list_license_asset_rulesets', params: {}, pages: true },
    ]);
    const group = (params: object) => ({
      Name: 'bad',
      LicenseAssetGroupConfigurations: [{ UsageDimension: 'vCPU' }],
      AssociatedLicenseAssetRulesetARNs: [rulesetArn],
      ClientToken: randomUUID(),
      ...params,
    });
    const updateGroup = (params: object) => ({
      LicenseAssetGroupArn: groupArn,
      AssociatedLicenseAssetRulesetARNs: [rulesetArn],
      ClientToken: randomUUID(),
      ...params,
    });
    const bad: [string, string, Record<string, unknown>][] = [
      [
        'create_license_asset_ruleset',
        'six rules',
        { Name: 'x', Rules: Array(6).fill(platformRule('Windows')), ClientToken: 'b1' },
      ],
      [
        'create_license_asset_ruleset',
        'unknown key',
        { Name: 'x', Rules: [instanceRule({ MatchingRuleStatement: matching('Colour', ['red']) })], ClientToken: 'b2' },
      ],
      [
        'create_license_asset_ruleset',
        'bad constraint',
        {
          Name: 'x',
          Rules: [instanceRule({ MatchingRuleStatement: matching('Platform', ['Windows'], 'LIKE') })],
          ClientToken: 'b3',
        },
      ],
      [
        'create_license_asset_ruleset',
        'bad script',
        {
          Name: 'x',
          Rules: [instanceRule({ ScriptRuleStatement: { KeyToMatch: 'InstanceType', Script: 'require("fs")' } })],
          ClientToken: 'b4',
        },
      ],
      ['create_license_asset_ruleset', 'no rules', { Name: 'x', Rules: [], ClientToken: 'b5' }],
      ['create_license_asset_ruleset', 'no name', { Rules: [platformRule('Windows')], ClientToken: 'b6' }],
      ['get_license_asset_ruleset', 'unknown', { LicenseAssetRulesetArn: rulesetArn.replace(/.{4}$/, '0000') }],
      [
        'update_license_asset_ruleset',
        'bad value',
        { LicenseAssetRulesetArn: rulesetArn, Rules: [platformRule('BeOS')], ClientToken: 'b7' },
      ],
      ['delete_license_asset_ruleset', 'not an ARN', { LicenseAssetRulesetArn: 'ruleset' }],
      ['list_license_asset_rulesets', 'unknown filter', { Filters: [{ Name: 'Owner', Values: ['me'] }] }],
      ['list_license_asset_rulesets', 'bad token', { NextToken: 'not-a-token' }],
      [
        'create_license_asset_group',
        'bad dimension',
        group({ LicenseAssetGroupConfigurations: [{ UsageDimension: 'Seats' }] }),
      ],
      ['create_license_asset_group', 'no ruleset', group({ AssociatedLicenseAssetRulesetARNs: [] })],
      [
        'create_license_asset_group',
        'unknown ruleset',
        group({ AssociatedLicenseAssetRulesetARNs: [rulesetArn.replace(/.{4}$/, '0000')] }),
      ],
      ['get_license_asset_group', 'unknown', { LicenseAssetGroupArn: groupArn.replace(/.{4}$/, '0000') }],
      ['update_license_asset_group', 'DELETED status', updateGroup({ Status: 'DELETED' })],
      [
        'update_license_asset_group',
        'duplicate property',
        updateGroup({
          Properties: [
            { Key: 'a', Value: '1' },
            { Key: 'a', Value: '2' },
          ],
        }),
      ],
      ['delete_license_asset_group', 'unknown', { LicenseAssetGroupArn: groupArn.replace(/.{4}$/, '0000') }],
      ['list_license_asset_groups', 'unknown filter', { Filters: [{ Name: 'Name', Values: ['x'] }] }],
      ['list_license_asset_groups', 'bad max results', { MaxResults: 0 }],
      ['list_assets_for_license_asset_group', 'bad asset type', { LicenseAssetGroupArn: groupArn, AssetType: 'Host' }],
      ['list_assets_for_license_asset_group', 'no asset type', { LicenseAssetGroupArn: groupArn }],
    ];
    const out = await boto3(member, [
      ...bad.map(([op, why, params]) => ({ name: `${op}: ${why}`, op, params })),
      { name: 'group-after', op: 'get_license_asset_group', params: { LicenseAssetGroupArn: groupArn } },
      { name: 'ruleset-after', op: 'get_license_asset_ruleset', params: { LicenseAssetRulesetArn: rulesetArn } },
      { name: 'groups', op: 'list_license_asset_groups', params: {}, pages: true },
      { name: 'rulesets', op: 'list_license_asset_rulesets', params: {}, pages: true },
    ]);
    expect(new Set(bad.map(([op]) => op)).size).toBe(11);
    for (const [op, why] of bad) {
      const { error } = out[`${op}: ${why}`];
      expect({ op, why, status: error?.Status, code: error?.Code }).toMatchObject({
        op,
        why,
        status: 400,
        code: expect.stringMatching(/^(InvalidParameterValueException|ValidationException)$/),
      });
    }
    expect(out['group-after'].result.LicenseAssetGroup).toMatchObject({
      Status: 'ACTIVE',
      AssociatedLicenseAssetRulesetARNs: [rulesetArn],
      LicenseAssetGroupConfigurations: [{ UsageDimension: 'vCPU' }],
      Properties: [],
    });
    expect(out['ruleset-after'].result.LicenseAssetRuleset.Rules).toEqual([platformRule('Windows')]);
    expect(out.groups.items).toEqual(before.groups.items);
    expect(out.rulesets.items).toEqual(before.rulesets.items);
  });

  it('covers the organization for the management account once it runs cross-account discovery, and only then', async () => {
    const management = accounts.management;
    const { groupArn } = await groupOf([platformRule('Windows')], management);
    expect(await assetsOf(groupArn, 'Instance', management)).toEqual([]);
    await licenseManager(system, management).send(
      new UpdateServiceSettingsCommand({ EnableCrossAccountsDiscovery: true }),
    );
    expect(await assetsOf(groupArn, 'Instance', management)).toEqual([arnOf(win)]);

    const arrival = instance(member.accountId, { platform: 'Windows', instanceType: 'm5.large' });
    await reportAndAwaitLicensing(system, [arrival]);
    const out = await boto3(management, [
      {
        name: 'organization',
        op: 'list_assets_for_license_asset_group',
        params: { LicenseAssetGroupArn: groupArn, AssetType: 'Instance' },
        pages: true,
      },
    ]);
    expect(out.organization.items!.map((a: any) => a.AssetArn).sort()).toEqual([arnOf(win), arnOf(arrival)].sort());
    // A member's groups still cover the member alone, and nobody's cover the outsider's instances.
    const memberGroup = await groupOf([platformRule('Windows')]);
    expect(await assetsOf(memberGroup.groupArn, 'Instance')).toEqual([arnOf(win), arnOf(arrival)].sort());
    expect((await assetsOf(groupArn, 'Instance', management)).includes(arnOf(outsiderWindows))).toBe(false);
  });

  it('keeps membership and the deletion rule exact when groups, rulesets and the inventory change at once', async () => {
    const client = licenseManager(system, member);
    // A ruleset deleted while groups take it up: either the deletion or each group wins, never both.
    const { LicenseAssetRulesetArn: contested } = await client.send(
      new CreateLicenseAssetRulesetCommand({
        Name: 'contested',
        Rules: [platformRule('Linux')],
        ClientToken: randomUUID(),
      }),
    );
    const outcomes = await Promise.allSettled([
      ...Array.from({ length: 6 }, (_, i) =>
        client.send(
          new CreateLicenseAssetGroupCommand({
            Name: `contender-${i}`,
            LicenseAssetGroupConfigurations: [{ UsageDimension: 'Instance' }],
            AssociatedLicenseAssetRulesetARNs: [contested!],
            ClientToken: randomUUID(),
          }),
        ),
      ),
      client.send(new DeleteLicenseAssetRulesetCommand({ LicenseAssetRulesetArn: contested })),
    ]);
    const deleted = outcomes[6].status === 'fulfilled';
    const groupsMade = outcomes.slice(0, 6).filter((o) => o.status === 'fulfilled').length;
    for (const refused of outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected'))
      expect(refused.reason).toMatchObject({ name: 'InvalidParameterValueException' });
    // Deleted first: every group is refused (no such ruleset); else the first group blocks the deletion and all are made.
    expect(groupsMade).toBe(deleted ? 0 : 6);
    const out = await boto3(member, [
      {
        name: 'users',
        op: 'list_license_asset_groups',
        params: { Filters: [{ Name: 'LicenseAssetRulesetArn', Values: [contested] }] },
        pages: true,
      },
      { name: 'ruleset', op: 'get_license_asset_ruleset', params: { LicenseAssetRulesetArn: contested } },
    ]);
    expect(out.users.items).toHaveLength(groupsMade);
    expect(out.ruleset.error?.Code).toBe(deleted ? 'InvalidParameterValueException' : undefined);

    // Groups created while instances are reported: each group ends with exactly the instances that match.
    const fleet = Array.from({ length: 8 }, (_, i) =>
      instance(member.accountId, { platform: 'Windows', instanceType: `z${i}.metal` }),
    );
    const script = instanceRule({
      ScriptRuleStatement: { KeyToMatch: 'InstanceType', Script: 'value endsWith ".metal"' },
    });
    const [groups] = await Promise.all([
      Promise.all(Array.from({ length: 3 }, () => groupOf([script]))),
      reportAndAwaitLicensing(system, fleet),
    ]);
    for (const { groupArn } of groups) expect(await assetsOf(groupArn, 'Instance')).toEqual(fleet.map(arnOf).sort());

    // Groups created while configurations are created: each group ends with every configuration of the account.
    const ofMember = {
      RuleStatement: {
        LicenseConfigurationRuleStatement: { MatchingRuleStatement: matching('AccountId', [member.accountId]) },
      },
    };
    const configurationsOfMember = async () =>
      (await client.send(new ListLicenseConfigurationsCommand({})))
        .LicenseConfigurations!.map((c) => c.LicenseConfigurationArn!)
        .sort();
    const [configurationGroups, racing] = await Promise.all([
      Promise.all(Array.from({ length: 3 }, () => groupOf([ofMember]))),
      Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          client.send(new CreateLicenseConfigurationCommand({ Name: `racing-${i}`, LicenseCountingType: 'vCPU' })),
        ),
      ),
    ]);
    const configurations = await configurationsOfMember();
    for (const { groupArn } of configurationGroups)
      expect(await assetsOf(groupArn, 'LicenseConfiguration')).toEqual(configurations);
    // And they leave as they are deleted (the later tests count the account's configurations).
    await Promise.all(
      racing.map(({ LicenseConfigurationArn }) =>
        client.send(new DeleteLicenseConfigurationCommand({ LicenseConfigurationArn })),
      ),
    );
    const left = await configurationsOfMember();
    expect(left).toHaveLength(configurations.length - racing.length);
    for (const { groupArn } of configurationGroups)
      expect(await assetsOf(groupArn, 'LicenseConfiguration')).toEqual(left);
  });

  it("feeds reporting's InstanceCount and InstanceConsumedLicenseCount, by licensing model for AWS-managed rulesets", async () => {
    const started = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const client = licenseManager(system, member);
    const { LicenseAssetGroupArn: groupArn } = await client.send(
      new CreateLicenseAssetGroupCommand({
        Name: 'windows cores',
        LicenseAssetGroupConfigurations: [{ UsageDimension: 'Core' }],
        AssociatedLicenseAssetRulesetARNs: [
          `arn:aws:license-manager:${region}:aws:ruleset/aws-managed-windows-server-datacenter`,
        ],
        ClientToken: randomUUID(),
      }),
    );
    const maximum = async (account: Account, metricName: string, dimensions: Record<string, string>) => {
      const out = await awsCli(system, account, [
        'cloudwatch',
        'get-metric-statistics',
        '--namespace',
        'AWSLicenseManager/licenseUsage',
        '--metric-name',
        metricName,
        '--dimensions',
        ...Object.entries({ LicenseAssetGroupArn: groupArn!, ...dimensions }).map(([k, v]) => `Name=${k},Value=${v}`),
        '--start-time',
        started.toISOString(),
        '--end-time',
        new Date(Date.now() + 120_000).toISOString(),
        '--period',
        '3600',
        '--statistics',
        'Maximum',
      ]);
      return out.json?.Datapoints?.[0]?.Maximum as number | undefined;
    };
    // Billed as Windows: win alone (2 cores, a Marketplace product code); the other Windows instances report no usage operation.
    expect(
      await eventually(
        () => maximum(member, 'InstanceCount', {}),
        (v) => v !== undefined,
        30_000,
      ),
    ).toBe(1);
    expect(await maximum(member, 'InstanceConsumedLicenseCount', { LicenseCountingType: 'Core' })).toBe(2);
    expect(await maximum(member, 'InstanceCount', { LicensingModel: 'AWSMarketplace' })).toBe(1);
    expect(await maximum(member, 'InstanceCount', { LicensingModel: 'LicenseIncluded' })).toBe(0);
    expect(
      await maximum(member, 'InstanceConsumedLicenseCount', {
        LicenseCountingType: 'Core',
        LicensingModel: 'AWSMarketplace',
      }),
    ).toBe(2);
    // The metrics are the group owner's alone.
    expect(await maximum(outsider, 'InstanceCount', {})).toBeUndefined();
  });

  it("reports a group's assets with LicenseAssetGroupUsageReport, written by a report generator", async () => {
    const bucket = 'aws-license-manager-service-asset-groups';
    const client = licenseManager(system, member);
    await client.send(new UpdateServiceSettingsCommand({ S3BucketArn: `arn:aws:s3:::${bucket}` }));
    const { groupArn } = await groupOf([
      platformRule('Linux'),
      {
        RuleStatement: {
          LicenseConfigurationRuleStatement: { MatchingRuleStatement: matching('AccountId', [member.accountId]) },
        },
      },
    ]);
    const created = await awsCli(system, member, [
      'license-manager',
      'create-license-manager-report-generator',
      '--report-generator-name',
      'asset groups',
      '--type',
      'LicenseAssetGroupUsageReport',
      '--report-context',
      JSON.stringify({ licenseAssetGroupArns: [groupArn] }),
      '--report-frequency',
      'value=1,period=ONE_TIME',
      '--client-token',
      randomUUID(),
    ]);
    const generatorArn = created.json.LicenseManagerReportGeneratorArn;
    const generator = await eventually(
      async () =>
        (
          await client.send(
            new GetLicenseManagerReportGeneratorCommand({ LicenseManagerReportGeneratorArn: generatorArn }),
          )
        ).ReportGenerator!,
      (g) => g.LastRunStatus !== undefined,
      30_000,
    );
    expect(generator).toMatchObject({
      LastRunStatus: 'SUCCESS',
      ReportType: ['LicenseAssetGroupUsageReport'],
      ReportContext: { licenseAssetGroupArns: [groupArn] },
    });
    const folder = join(reportsDir, bucket, 'Reports', 'asset groups');
    const files = readdirSync(folder, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    expect(files.map((f) => f.name)).toEqual([expect.stringMatching(/-asset-groups\.csv$/)]);
    const [header, ...rows] = readFileSync(join(files[0].parentPath, files[0].name), 'utf8').trim().split('\r\n');
    expect(header).toBe('LicenseAssetGroupArn,AssetType,AssetArn,LatestAssetDiscoveryTime');
    expect(rows.map((row) => row.split(',').slice(0, 3)).sort()).toEqual(
      [
        [groupArn, 'Instance', arnOf(rhel)],
        [groupArn, 'Instance', arnOf(ubuntu)],
        [groupArn, 'LicenseConfiguration', configurationArn],
      ].sort(),
    );
    expect(rows.every((row) => /,\d{4}-\d\d-\d\dT/.test(row))).toBe(true);

    const refused = await awsCli(system, member, [
      'license-manager',
      'create-license-manager-report-generator',
      '--report-generator-name',
      'no groups',
      '--type',
      'LicenseAssetGroupUsageReport',
      '--report-context',
      JSON.stringify({ licenseAssetGroupArns: [groupArn.replace(/.{4}$/, '0000')] }),
      '--report-frequency',
      'value=1,period=ONE_TIME',
      '--client-token',
      randomUUID(),
    ]);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toMatch(/InvalidParameterValueException.*does not exist/);
  });

  it('lists the licences the account received through an ACTIVE grant, and not once it is deactivated or the licence deleted', async () => {
    const seller = outsider;
    const sku = `received-${randomUUID()}`;
    const byProduct = [
      { RuleStatement: { LicenseRuleStatement: { MatchingRuleStatement: matching('ProductSKU', [sku]) } } },
    ];
    // The member's group exists before the licence is granted; the seller's issued licence is its own asset.
    const memberGroup = await groupOf(byProduct);
    const sellerGroup = await groupOf(byProduct, seller);
    // The management account running cross-account discovery covers what its members receive too.
    const management = accounts.management;
    await licenseManager(system, management).send(
      new UpdateServiceSettingsCommand({ EnableCrossAccountsDiscovery: true }),
    );
    const organizationGroup = await groupOf(byProduct, management);
    const seller$ = licenseManager(system, seller);
    const member$ = licenseManager(system, member);
    const { LicenseArn } = await seller$.send(
      new CreateLicenseCommand({
        LicenseName: 'Received e2e',
        ProductName: 'Received',
        ProductSKU: sku,
        Issuer: { Name: 'ExampleSoft' },
        HomeRegion: region,
        Validity: { Begin: new Date(Date.now() - 86_400_000).toISOString() },
        Entitlements: [{ Name: 'Seats', Unit: 'Count', MaxCount: 10 }],
        Beneficiary: 'customer-42',
        ConsumptionConfiguration: { RenewType: 'None', ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } },
        ClientToken: randomUUID(),
      }),
    );
    const { GrantArn } = await seller$.send(
      new CreateGrantCommand({
        GrantName: 'to the member',
        LicenseArn,
        Principals: [principals.account(member)],
        HomeRegion: region,
        AllowedOperations: ['CheckoutLicense'],
        ClientToken: randomUUID(),
      }),
    );
    await member$.send(new AcceptGrantCommand({ GrantArn }));
    // Accepted is DISABLED: the seller's group has the licence, the member's not yet.
    expect(
      await eventually(
        () => assetsOf(sellerGroup.groupArn, 'License', seller),
        (a) => a.length === 1,
      ),
    ).toEqual([LicenseArn]);
    expect(await assetsOf(memberGroup.groupArn, 'License')).toEqual([]);
    expect(await assetsOf(organizationGroup.groupArn, 'License', management)).toEqual([]);

    // Activated (CreateGrantVersion ACTIVE): the member's group lists it, read with the AWS CLI too.
    await member$.send(new CreateGrantVersionCommand({ GrantArn, Status: 'ACTIVE', ClientToken: randomUUID() }));
    expect(
      await eventually(
        () => assetsOf(memberGroup.groupArn, 'License'),
        (a) => a.length === 1,
      ),
    ).toEqual([LicenseArn]);
    const listed = await awsCli(system, member, [
      'license-manager',
      'list-assets-for-license-asset-group',
      '--license-asset-group-arn',
      memberGroup.groupArn,
      '--asset-type',
      'License',
    ]);
    expect(JSON.parse(listed.stdout).Assets).toEqual([
      { AssetArn: LicenseArn, LatestAssetDiscoveryTime: expect.any(Number) },
    ]);
    expect(await assetsOf(organizationGroup.groupArn, 'License', management)).toEqual([LicenseArn]);
    // A group the member makes now finds it at once; another account's group does not.
    expect(await assetsOf((await groupOf(byProduct)).groupArn, 'License')).toEqual([LicenseArn]);
    const bystanderGroup = await groupOf(byProduct, accounts.nestedMember);
    expect(await assetsOf(bystanderGroup.groupArn, 'License', accounts.nestedMember)).toEqual([]);

    // Deactivated by the seller: gone from the member's group; the seller keeps its licence.
    await seller$.send(new CreateGrantVersionCommand({ GrantArn, Status: 'DISABLED', ClientToken: randomUUID() }));
    expect(
      await eventually(
        () => assetsOf(memberGroup.groupArn, 'License'),
        (a) => a.length === 0,
      ),
    ).toEqual([]);
    expect(await assetsOf(organizationGroup.groupArn, 'License', management)).toEqual([]);
    expect(await assetsOf(sellerGroup.groupArn, 'License', seller)).toEqual([LicenseArn]);

    // Active again, then the licence deleted: gone again.
    await member$.send(new CreateGrantVersionCommand({ GrantArn, Status: 'ACTIVE', ClientToken: randomUUID() }));
    expect(
      await eventually(
        () => assetsOf(memberGroup.groupArn, 'License'),
        (a) => a.length === 1,
      ),
    ).toEqual([LicenseArn]);
    const { License } = await seller$.send(new GetLicenseCommand({ LicenseArn }));
    await seller$.send(new DeleteLicenseCommand({ LicenseArn, SourceVersion: License!.Version }));
    expect(
      await eventually(
        () => assetsOf(memberGroup.groupArn, 'License'),
        (a) => a.length === 0,
      ),
    ).toEqual([]);
    expect(await assetsOf(sellerGroup.groupArn, 'License', seller)).toEqual([LicenseArn]);
  });
});
