import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  CreateLicenseAssetGroupCommand,
  CreateLicenseAssetRulesetCommand,
  CreateLicenseManagerReportGeneratorCommand,
  CreateTokenCommand,
  TagResourceCommand,
  UpdateServiceSettingsCommand,
} from '@aws-sdk/client-license-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boto3Batch, createConfiguration, licenseManager, type Boto3Call } from '../support/clients';
import { grantedLicense } from '../support/licenses';
import { accounts, startSystem, type RunningSystem } from '../support/system';

const owner = accounts.management;
const BUCKET = 'aws-license-manager-service-reports-isolation';

/** The errors AWS answers a caller about a resource that is not its own: it does not exist, or may not be touched. */
const REFUSALS = [
  'InvalidParameterValueException',
  'ResourceNotFoundException',
  'AccessDeniedException',
  'AuthorizationException',
];

/** One kind of resource: its ARN (or id), the calls that name it, and who may not touch it. */
interface Resource {
  kind: string;
  /** What no other account's list may show. */
  id: string;
  /** Reads, updates, deletes and tag operations naming it: each must be refused. */
  calls: Boto3Call[];
  attackers: (keyof typeof accounts)[];
}

/**
 * The isolation matrix: every read, update, delete and tag operation of License Manager on every
 * kind of resource an account owns, tried by every other account of the development organization
 * (member, nested member, outsider) through boto3; every list operation they have, searched for
 * the resource. Nothing may leak (each call refused with the AWS error, no list shows it) and
 * nothing may change (the owner reads the same before and after).
 */
describe('isolation: another account of the organization can neither see nor change a resource', () => {
  let system: RunningSystem;
  let reportsDir: string;
  const resources: Resource[] = [];
  const tags = (arn: string): Boto3Call[] => [
    { name: 'TagResource', op: 'tag_resource', params: { ResourceArn: arn, Tags: [{ Key: 'stolen', Value: 'y' }] } },
    { name: 'UntagResource', op: 'untag_resource', params: { ResourceArn: arn, TagKeys: ['team'] } },
    { name: 'ListTagsForResource', op: 'list_tags_for_resource', params: { ResourceArn: arn } },
  ];
  /** What the owner reads of its resources: must be the same after the attempts. */
  const ownerView = async () => {
    const calls: Boto3Call[] = resources.flatMap((resource) =>
      resource.calls
        .filter((call) => /^(Get|List)/.test(call.name))
        .map((call) => ({ ...call, name: `${resource.kind} ${call.name}` })),
    );
    calls.push({ name: 'ListTokens', op: 'list_tokens', params: {} });
    const view = await boto3Batch(system, owner, 'license-manager', calls);
    for (const [name, answer] of Object.entries(view)) expect(answer, name).not.toHaveProperty('error');
    return view;
  };
  /** Every list operation an account has: none may show another's resource. */
  const lists: Boto3Call[] = [
    { name: 'ListLicenseConfigurations', op: 'list_license_configurations', params: {}, pages: true },
    { name: 'ListLicenses', op: 'list_licenses', params: {}, pages: true },
    { name: 'ListReceivedLicenses', op: 'list_received_licenses', params: {}, pages: true },
    { name: 'ListDistributedGrants', op: 'list_distributed_grants', params: {}, pages: true },
    { name: 'ListReceivedGrants', op: 'list_received_grants', params: {}, pages: true },
    {
      name: 'ListLicenseManagerReportGenerators',
      op: 'list_license_manager_report_generators',
      params: {},
      pages: true,
    },
    { name: 'ListTokens', op: 'list_tokens', params: {}, pages: true },
    { name: 'ListLicenseAssetRulesets', op: 'list_license_asset_rulesets', params: {}, pages: true },
    { name: 'ListLicenseAssetGroups', op: 'list_license_asset_groups', params: {}, pages: true },
  ];

  beforeAll(async () => {
    reportsDir = mkdtempSync(join(tmpdir(), 'lm-isolation-reports-'));
    system = await startSystem({ LM_REPORTS_DIR: reportsDir }, { startTimeoutMs: 240_000 });
    const client = licenseManager(system, owner);

    const configuration = await createConfiguration(client, {
      Name: 'owned',
      LicenseCountingType: 'vCPU',
      Tags: [{ Key: 'team', Value: 'owner' }],
    });
    resources.push({
      kind: 'license configuration',
      id: configuration,
      attackers: ['member', 'nestedMember', 'outsider'],
      calls: [
        {
          name: 'GetLicenseConfiguration',
          op: 'get_license_configuration',
          params: { LicenseConfigurationArn: configuration },
        },
        {
          name: 'ListAssociationsForLicenseConfiguration',
          op: 'list_associations_for_license_configuration',
          params: { LicenseConfigurationArn: configuration },
        },
        {
          name: 'ListUsageForLicenseConfiguration',
          op: 'list_usage_for_license_configuration',
          params: { LicenseConfigurationArn: configuration },
        },
        {
          name: 'ListFailuresForLicenseConfigurationOperations',
          op: 'list_failures_for_license_configuration_operations',
          params: { LicenseConfigurationArn: configuration },
        },
        {
          name: 'UpdateLicenseConfiguration',
          op: 'update_license_configuration',
          params: { LicenseConfigurationArn: configuration, Name: 'stolen', LicenseConfigurationStatus: 'DISABLED' },
        },
        {
          name: 'DeleteLicenseConfiguration',
          op: 'delete_license_configuration',
          params: { LicenseConfigurationArn: configuration },
        },
        ...tags(configuration),
      ],
    });

    // A licence granted to the nested member (who may see it): the member and the outsider may not.
    const granted = await grantedLicense(system, {
      issuer: owner,
      grantee: accounts.nestedMember,
      productSku: 'isolation',
      entitlements: [{ Name: 'Seats', Unit: 'Count', MaxCount: 10 }],
      allowedOperations: ['CheckoutLicense', 'ListPurchasedLicenses'],
      consumptionConfiguration: { RenewType: 'None', ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } },
    });
    await client.send(
      new TagResourceCommand({ ResourceArn: granted.licenseArn, Tags: [{ Key: 'team', Value: 'owner' }] }),
    );
    await client.send(
      new TagResourceCommand({ ResourceArn: granted.grantArn, Tags: [{ Key: 'team', Value: 'owner' }] }),
    );
    const now = Date.now();
    resources.push({
      kind: 'licence',
      id: granted.licenseArn,
      attackers: ['member', 'outsider'],
      calls: [
        { name: 'GetLicense', op: 'get_license', params: { LicenseArn: granted.licenseArn } },
        { name: 'GetLicenseUsage', op: 'get_license_usage', params: { LicenseArn: granted.licenseArn } },
        { name: 'ListLicenseVersions', op: 'list_license_versions', params: { LicenseArn: granted.licenseArn } },
        {
          name: 'CreateLicenseVersion',
          op: 'create_license_version',
          params: {
            LicenseArn: granted.licenseArn,
            LicenseName: 'stolen',
            ProductName: 'Product',
            Issuer: { Name: 'Thief' },
            HomeRegion: system.region,
            Validity: {
              Begin: new Date(now - 86_400_000).toISOString(),
              End: new Date(now + 86_400_000).toISOString(),
            },
            Entitlements: [{ Name: 'Seats', Unit: 'Count', MaxCount: 1000 }],
            ConsumptionConfiguration: { RenewType: 'None' },
            Status: 'AVAILABLE',
            ClientToken: randomUUID(),
          },
        },
        {
          name: 'CreateGrant',
          op: 'create_grant',
          params: {
            GrantName: 'stolen',
            LicenseArn: granted.licenseArn,
            Principals: ['arn:aws:iam::333333333333:root'],
            HomeRegion: system.region,
            AllowedOperations: ['CheckoutLicense'],
            ClientToken: randomUUID(),
          },
        },
        {
          name: 'CreateToken',
          op: 'create_token',
          params: { LicenseArn: granted.licenseArn, ClientToken: randomUUID() },
        },
        { name: 'DeleteLicense', op: 'delete_license', params: { LicenseArn: granted.licenseArn, SourceVersion: '1' } },
        ...tags(granted.licenseArn),
      ],
    });
    resources.push({
      kind: 'grant',
      id: granted.grantArn,
      attackers: ['member', 'outsider'],
      calls: [
        { name: 'GetGrant', op: 'get_grant', params: { GrantArn: granted.grantArn } },
        {
          name: 'CreateGrantVersion',
          op: 'create_grant_version',
          params: { GrantArn: granted.grantArn, GrantName: 'stolen', Status: 'DISABLED', ClientToken: randomUUID() },
        },
        { name: 'AcceptGrant', op: 'accept_grant', params: { GrantArn: granted.grantArn } },
        { name: 'RejectGrant', op: 'reject_grant', params: { GrantArn: granted.grantArn } },
        { name: 'DeleteGrant', op: 'delete_grant', params: { GrantArn: granted.grantArn, Version: '2' } },
        ...tags(granted.grantArn),
      ],
    });

    await client.send(new UpdateServiceSettingsCommand({ S3BucketArn: `arn:aws:s3:::${BUCKET}` }));
    const { LicenseManagerReportGeneratorArn: generator } = await client.send(
      new CreateLicenseManagerReportGeneratorCommand({
        ReportGeneratorName: 'owned-report',
        Type: ['LicenseConfigurationSummaryReport'],
        ReportContext: { licenseConfigurationArns: [configuration] },
        ReportFrequency: { value: 1, period: 'DAY' },
        ClientToken: randomUUID(),
        Tags: [{ Key: 'team', Value: 'owner' }],
      }),
    );
    resources.push({
      kind: 'report generator',
      id: generator!,
      attackers: ['member', 'nestedMember', 'outsider'],
      calls: [
        {
          name: 'GetLicenseManagerReportGenerator',
          op: 'get_license_manager_report_generator',
          params: { LicenseManagerReportGeneratorArn: generator },
        },
        {
          name: 'UpdateLicenseManagerReportGenerator',
          op: 'update_license_manager_report_generator',
          params: {
            LicenseManagerReportGeneratorArn: generator,
            ReportGeneratorName: 'stolen',
            Type: ['LicenseConfigurationSummaryReport'],
            ReportContext: { licenseConfigurationArns: [configuration] },
            ReportFrequency: { value: 1, period: 'MONTH' },
            ClientToken: randomUUID(),
          },
        },
        {
          name: 'DeleteLicenseManagerReportGenerator',
          op: 'delete_license_manager_report_generator',
          params: { LicenseManagerReportGeneratorArn: generator },
        },
        ...tags(generator!),
      ],
    });

    const rules = [
      {
        RuleStatement: {
          InstanceRuleStatement: {
            MatchingRuleStatement: { KeyToMatch: 'Platform', Constraint: 'EQUALS', ValueToMatch: ['Linux'] },
          },
        },
      },
    ];
    const { LicenseAssetRulesetArn: ruleset } = await client.send(
      new CreateLicenseAssetRulesetCommand({
        Name: 'owned-ruleset',
        Rules: rules,
        ClientToken: randomUUID(),
        Tags: [{ Key: 'team', Value: 'owner' }],
      }),
    );
    resources.push({
      kind: 'asset ruleset',
      id: ruleset!,
      attackers: ['member', 'nestedMember', 'outsider'],
      calls: [
        {
          name: 'GetLicenseAssetRuleset',
          op: 'get_license_asset_ruleset',
          params: { LicenseAssetRulesetArn: ruleset },
        },
        {
          name: 'UpdateLicenseAssetRuleset',
          op: 'update_license_asset_ruleset',
          params: { LicenseAssetRulesetArn: ruleset, Name: 'stolen', Rules: rules, ClientToken: randomUUID() },
        },
        {
          name: 'DeleteLicenseAssetRuleset',
          op: 'delete_license_asset_ruleset',
          params: { LicenseAssetRulesetArn: ruleset },
        },
        ...tags(ruleset!),
      ],
    });
    const { LicenseAssetGroupArn: group } = await client.send(
      new CreateLicenseAssetGroupCommand({
        Name: 'owned-group',
        LicenseAssetGroupConfigurations: [{ UsageDimension: 'vCPU' }],
        AssociatedLicenseAssetRulesetARNs: [ruleset!],
        ClientToken: randomUUID(),
        Tags: [{ Key: 'team', Value: 'owner' }],
      }),
    );
    resources.push({
      kind: 'asset group',
      id: group!,
      attackers: ['member', 'nestedMember', 'outsider'],
      calls: [
        { name: 'GetLicenseAssetGroup', op: 'get_license_asset_group', params: { LicenseAssetGroupArn: group } },
        {
          name: 'ListAssetsForLicenseAssetGroup',
          op: 'list_assets_for_license_asset_group',
          params: { LicenseAssetGroupArn: group, AssetType: 'Instance' },
        },
        {
          name: 'UpdateLicenseAssetGroup',
          op: 'update_license_asset_group',
          params: {
            LicenseAssetGroupArn: group,
            AssociatedLicenseAssetRulesetARNs: [ruleset],
            Status: 'DISABLED',
            Name: 'stolen',
            ClientToken: randomUUID(),
          },
        },
        { name: 'DeleteLicenseAssetGroup', op: 'delete_license_asset_group', params: { LicenseAssetGroupArn: group } },
        ...tags(group!),
      ],
    });

    const { TokenId } = await client.send(
      new CreateTokenCommand({ LicenseArn: granted.licenseArn, ClientToken: randomUUID() }),
    );
    resources.push({
      kind: 'token',
      id: TokenId!,
      attackers: ['member', 'nestedMember', 'outsider'],
      calls: [{ name: 'DeleteToken', op: 'delete_token', params: { TokenId } }],
    });
  });
  afterAll(async () => {
    await system?.stop();
    if (reportsDir) rmSync(reportsDir, { recursive: true, force: true });
  });

  it('refuses every operation on each resource with the AWS error, shows it in no list, and changes nothing', async () => {
    const before = await ownerView();
    const leaks: string[] = [];
    for (const attacker of ['member', 'nestedMember', 'outsider'] as const) {
      const mine = resources.filter((resource) => resource.attackers.includes(attacker));
      const calls = mine.flatMap((resource) =>
        resource.calls.map((call) => ({ ...call, name: `${resource.kind} ${call.name}` })),
      );
      const answers = await boto3Batch(system, accounts[attacker], 'license-manager', [...calls, ...lists]);
      for (const call of calls) {
        const answer = answers[call.name];
        if (!answer.error) leaks.push(`${attacker} ${call.name}: answered ${JSON.stringify(answer).slice(0, 200)}`);
        else if (!REFUSALS.includes(answer.error.Code) || answer.error.Status >= 500)
          leaks.push(`${attacker} ${call.name}: ${answer.error.Status} ${answer.error.Code} ${answer.error.Message}`);
      }
      for (const list of lists) {
        const answer = answers[list.name];
        if (answer.error) {
          leaks.push(`${attacker} ${list.name}: ${answer.error.Code} ${answer.error.Message}`);
          continue;
        }
        for (const resource of mine)
          if (JSON.stringify(answer.items).includes(resource.id))
            leaks.push(`${attacker} ${list.name} shows the ${resource.kind}`);
      }
    }
    expect(leaks).toEqual([]);
    expect(await ownerView()).toEqual(before);
  });
});
