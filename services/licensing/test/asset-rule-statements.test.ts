import type { LicenseManager } from '@lm/api-model';
import { describe, expect, it } from 'vitest';
import { configurationAsset, instanceAsset, licenceAsset } from '../src/asset-groups/domain/asset-facts';
import { managedRulesets } from '../src/asset-groups/domain/managed-rulesets';
import { rulesetDiscovers, validateRules } from '../src/asset-groups/domain/rule-statements';
import type { ResourceFacts } from '../src/shared/resource';

const instance = (facts: Partial<ResourceFacts>): ResourceFacts => ({
  resourceArn: 'arn:aws:ec2:us-east-1:111111111111:instance/i-0000000000000000a',
  resourceId: 'i-0000000000000000a',
  resourceType: 'EC2_INSTANCE',
  accountId: '111111111111',
  region: 'us-east-1',
  state: 'running',
  active: true,
  ...facts,
});

const matching = (
  KeyToMatch: string,
  ValueToMatch: string[],
  Constraint = 'EQUALS',
): LicenseManager.MatchingRuleStatement => ({ KeyToMatch, Constraint, ValueToMatch });
const instanceRule = (statement: LicenseManager.InstanceRuleStatement): LicenseManager.LicenseAssetRule => ({
  RuleStatement: { InstanceRuleStatement: statement },
});

const windows = instanceAsset(
  instance({
    platform: 'Windows',
    usageOperation: 'RunInstances:0006',
    instanceType: 'm5.xlarge',
    amiId: 'ami-0abc',
    hostId: 'h-0123',
    productCodes: [{ productCodeId: 'prodcode1', productCodeType: 'marketplace' }],
    billingProducts: ['bp-6ba54002'],
  }),
);
const rhel = instanceAsset(
  instance({
    resourceArn: 'arn:aws:ec2:us-east-1:222222222222:instance/i-0000000000000000b',
    resourceId: 'i-0000000000000000b',
    accountId: '222222222222',
    platform: 'Red Hat Enterprise Linux',
    usageOperation: 'RunInstances:0010',
    instanceType: 't3.large',
  }),
);

describe('instance keys', () => {
  const cases: [string, string[], boolean, boolean][] = [
    ['Platform', ['Windows'], true, false],
    ['Platform', ['Linux'], false, true],
    ['EC2BillingProduct', ['sql-server-standard'], true, false],
    ['EC2BillingProduct', ['bp-6ba54002'], true, false],
    ['EC2BillingProduct', ['rhel'], false, true],
    ['MarketPlaceProductCode', ['prodcode1'], true, false],
    ['AMIId', ['ami-0abc'], true, false],
    ['InstanceType', ['m5.xlarge', 't3.large'], true, true],
    ['InstanceId', ['i-0000000000000000b'], false, true],
    ['HostId', ['h-0123'], true, false],
    ['AccountId', ['111111111111'], true, false],
  ];
  it.each(cases)('%s EQUALS %j', (key, values, onWindows, onRhel) => {
    const rules = [instanceRule({ MatchingRuleStatement: matching(key, values) })];
    validateRules(rules);
    expect(rulesetDiscovers(rules, windows)).toBe(onWindows);
    expect(rulesetDiscovers(rules, rhel)).toBe(onRhel);
    const negated = [instanceRule({ MatchingRuleStatement: matching(key, values, 'NOT_EQUALS') })];
    expect(rulesetDiscovers(negated, windows)).toBe(!onWindows);
  });

  it('And needs every statement, Or one', () => {
    const statements = [matching('Platform', ['Windows']), matching('InstanceType', ['t3.large'])];
    const and = [instanceRule({ AndRuleStatement: { MatchingRuleStatements: statements } })];
    const or = [instanceRule({ OrRuleStatement: { MatchingRuleStatements: statements } })];
    expect([rulesetDiscovers(and, windows), rulesetDiscovers(and, rhel)]).toEqual([false, false]);
    expect([rulesetDiscovers(or, windows), rulesetDiscovers(or, rhel)]).toEqual([true, true]);
  });

  it('scripts read the key to match and the other keys', () => {
    const script = (Script: string) => [instanceRule({ ScriptRuleStatement: { KeyToMatch: 'InstanceType', Script } })];
    expect(rulesetDiscovers(script('value startsWith "m5."'), windows)).toBe(true);
    expect(rulesetDiscovers(script('value startsWith "m5."'), rhel)).toBe(false);
    expect(rulesetDiscovers(script('Platform == "linux" and not (value in ["m5.xlarge"])'), rhel)).toBe(true);
    const mixed = [
      instanceRule({
        AndRuleStatement: {
          MatchingRuleStatements: [matching('Platform', ['Windows'])],
          ScriptRuleStatements: [{ KeyToMatch: 'EC2BillingProduct', Script: 'values contains "sql-server-standard"' }],
        },
      }),
    ];
    validateRules(mixed);
    expect([rulesetDiscovers(mixed, windows), rulesetDiscovers(mixed, rhel)]).toEqual([true, false]);
  });
});

describe('licence and configuration keys', () => {
  const licence = licenceAsset({
    LicenseArn: 'arn:aws:license-manager::111111111111:license:l-0123456789abcdef',
    LicenseName: 'Analytics',
    ProductName: 'Analytics',
    ProductSKU: 'analytics-pro',
    Issuer: { Name: 'ExampleSoft' },
    HomeRegion: 'us-east-1',
    Status: 'AVAILABLE',
    Beneficiary: 'customer-42',
    Version: '1',
    Validity: { Begin: '2026-01-01T00:00:00Z' },
    Entitlements: [],
    ConsumptionConfiguration: {},
  });
  it.each([
    ['LicenseArn', 'arn:aws:license-manager::111111111111:license:l-0123456789abcdef'],
    ['ProductSKU', 'analytics-pro'],
    ['Issuer', 'ExampleSoft'],
    ['Beneficiary', 'customer-42'],
    ['LicenseStatus', 'AVAILABLE'],
    ['HomeRegion', 'us-east-1'],
  ])('%s', (key, value) => {
    const rules = [{ RuleStatement: { LicenseRuleStatement: { MatchingRuleStatement: matching(key, [value]) } } }];
    validateRules(rules);
    expect(rulesetDiscovers(rules, licence)).toBe(true);
    expect(rulesetDiscovers(rules, windows)).toBe(false);
  });

  it('LicenseConfigurationArn and AccountId', () => {
    const arn =
      'arn:aws:license-manager:us-east-1:111111111111:license-configuration:lic-0123456789abcdef0123456789abcdef';
    const configuration = configurationAsset(arn, '111111111111');
    for (const [key, value] of [
      ['LicenseConfigurationArn', arn],
      ['AccountId', '111111111111'],
    ]) {
      const rules = [
        { RuleStatement: { LicenseConfigurationRuleStatement: { MatchingRuleStatement: matching(key, [value]) } } },
      ];
      validateRules(rules);
      expect(rulesetDiscovers(rules, configuration)).toBe(true);
    }
  });
});

describe('validation', () => {
  const refused = (rules: LicenseManager.LicenseAssetRule[], message: RegExp) =>
    expect(() => validateRules(rules)).toThrow(
      expect.objectContaining({ code: 'InvalidParameterValueException', message: expect.stringMatching(message) }),
    );
  const platform = instanceRule({ MatchingRuleStatement: matching('Platform', ['Windows']) });

  it('refuses what the model and the guide do not allow', () => {
    refused([], /at least one rule/);
    refused(Array(6).fill(platform), /at most 5 rules/);
    refused([{ RuleStatement: {} }], /exactly one/);
    refused(
      [
        {
          RuleStatement: {
            InstanceRuleStatement: { MatchingRuleStatement: matching('Platform', ['Windows']) },
            LicenseRuleStatement: {},
          },
        },
      ],
      /exactly one/,
    );
    refused([instanceRule({ MatchingRuleStatement: matching('ProductSKU', ['x']) })], /not a key of a Instance rule/);
    refused(
      [instanceRule({ MatchingRuleStatement: matching('Platform', ['Windows'], 'LIKE') })],
      /EQUALS or NOT_EQUALS/,
    );
    refused([instanceRule({ MatchingRuleStatement: matching('Platform', []) })], /at least one value/);
    refused([instanceRule({ MatchingRuleStatement: matching('Platform', ['BeOS']) })], /not a Platform/);
    refused(
      [instanceRule({ MatchingRuleStatement: matching('EC2BillingProduct', ['windows-xp']) })],
      /not a EC2BillingProduct/,
    );
    refused([instanceRule({ MatchingRuleStatement: matching('AccountId', ['12']) })], /12-digit/);
    refused([instanceRule({ AndRuleStatement: {} })], /at least one matching or script/);
    refused(
      [instanceRule({ ScriptRuleStatement: { KeyToMatch: 'InstanceType', Script: 'value ==' } })],
      /Script: .*end/,
    );
    refused(
      [instanceRule({ ScriptRuleStatement: { KeyToMatch: 'InstanceType', Script: 'exit()' } })],
      /unknown name 'exit'/,
    );
  });

  it('accepts five rules', () => expect(() => validateRules(Array(5).fill(platform))).not.toThrow());
});

describe('AWS-managed rulesets', () => {
  it('discover instances by their billing products', () => {
    const byName = Object.fromEntries(managedRulesets('us-east-1').map((r) => [r.name, r.rules]));
    expect(Object.keys(byName)).toEqual([
      'Microsoft Windows Server Datacenter',
      'Microsoft SQL Server Enterprise Edition',
      'Microsoft SQL Server Standard Edition',
      'Red Hat Enterprise Linux',
      'Ubuntu Pro',
      'SUSE Enterprise Linux',
    ]);
    for (const rules of Object.values(byName)) validateRules(rules);
    expect(rulesetDiscovers(byName['Microsoft SQL Server Standard Edition'], windows)).toBe(true);
    expect(rulesetDiscovers(byName['Red Hat Enterprise Linux'], windows)).toBe(false);
    expect(rulesetDiscovers(byName['Red Hat Enterprise Linux'], rhel)).toBe(true);
  });
});
