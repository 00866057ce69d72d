import { describe, expect, it } from 'vitest';
import { groupUsage } from '../src/asset-groups/application/asset-group-usage.sweep';
import type { Group } from '../src/asset-groups/domain/group';
import { managedRulesets } from '../src/asset-groups/domain/managed-rulesets';
import type { ResourceFacts } from '../src/shared/resource';

const facts = (id: string, more: Partial<ResourceFacts>): ResourceFacts => ({
  resourceArn: `arn:aws:ec2:us-east-1:111111111111:instance/${id}`,
  resourceId: id,
  resourceType: 'EC2_INSTANCE',
  accountId: '111111111111',
  region: 'us-east-1',
  state: 'running',
  active: true,
  ...more,
});
const group = (usageDimension: Group['usageDimension'], rulesetArns: string[]) =>
  ({ usageDimension, rulesetArns, arn: 'g', ownerAccountId: '111111111111' }) as Group;

const fleet = [
  facts('i-1', { vCpuCount: 8, coreCount: 4, socketCount: 1 }),
  facts('i-2', {
    coreCount: 2,
    threadsPerCore: 2,
    socketCount: 1,
    productCodes: [{ productCodeId: 'p', productCodeType: 'marketplace' }],
  }),
  facts('i-3', { vCpuCount: 16, coreCount: 8, socketCount: 2, state: 'stopped' }),
];

describe('group usage', () => {
  it.each([
    ['vCPU', 'vCPU', 12],
    ['Core', 'Core', 6],
    ['Sockets', 'Socket', 2],
    ['Instance', 'Instance', 2],
  ] as const)('counts every member and what running ones consume in %s', (dimension, countingType, consumed) => {
    expect(
      groupUsage(group(dimension, ['arn:aws:license-manager:us-east-1:111111111111:ruleset/lar-1']), fleet),
    ).toEqual({
      licenseCountingType: countingType,
      instanceCount: 3,
      consumedLicenses: consumed,
    });
  });

  it('splits by licensing model for a group with an AWS-managed ruleset', () => {
    expect(groupUsage(group('vCPU', [managedRulesets('us-east-1')[0].arn]), fleet).byLicensingModel).toEqual([
      { licensingModel: 'LicenseIncluded', instanceCount: 2, consumedLicenses: 8 },
      { licensingModel: 'AWSMarketplace', instanceCount: 1, consumedLicenses: 4 },
    ]);
  });
});
