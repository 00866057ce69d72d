import { describe, expect, it } from 'vitest';
import type {
  Association,
  LicenseConfigurationAggregate,
} from '../src/domain/license-configuration/license-configuration';
import { decideResourceChange } from '../src/domain/license-specifications/resource-lifecycle';
import type { ResourceFacts } from '../src/domain/resources/resource';

const DAY = 24 * 60 * 60 * 1000;
const t0 = new Date('2026-03-01T00:00:00Z');
const at = (days: number) => new Date(t0.getTime() + days * DAY);

const instance = (state: string, facts: Partial<ResourceFacts> = {}): ResourceFacts => ({
  resourceArn: 'arn:aws:ec2:us-east-1:111111111111:instance/i-1',
  resourceId: 'i-1',
  resourceType: 'EC2_INSTANCE',
  accountId: '111111111111',
  region: 'us-east-1',
  state,
  vCpuCount: 4,
  coreCount: 8,
  tenancy: 'host',
  hostId: 'h-1',
  active: true,
  ...facts,
});

function configuration(
  countingType: 'vCPU' | 'Core',
  rules: string[],
  association: Partial<Association> = {},
): LicenseConfigurationAggregate {
  return {
    id: 'lic-1',
    arn: 'arn:aws:license-manager:us-east-1:111111111111:license-configuration:lic-1',
    ownerAccountId: '111111111111',
    region: 'us-east-1',
    countingType,
    tags: {},
    createdAt: t0.toISOString(),
    name: 'c',
    hardLimit: true,
    licenseCount: 100,
    rules,
    productInformationList: [],
    disassociateWhenNotFound: false,
    status: 'AVAILABLE',
    associations: {
      [instance('running').resourceArn]: {
        resourceArn: instance('running').resourceArn,
        resourceType: 'EC2_INSTANCE',
        resourceOwnerId: '111111111111',
        associatedAt: t0.toISOString(),
        consumptionKey: 'host/h-1',
        consumedLicenses: countingType === 'Core' ? 8 : 4,
        ...association,
      },
    },
  };
}

describe('what a change of an associated resource decides', () => {
  it('releases on stop and consumes again on start, once', () => {
    const config = configuration('vCPU', []);
    const [stopped] = decideResourceChange(config, instance('stopped'), undefined, at(1));
    expect(stopped).toMatchObject({
      type: 'AssociationConsumptionChanged',
      data: { consumedLicenses: 0, reason: 'stopped' },
    });
    const afterStop = configuration('vCPU', [], { consumedLicenses: 0 });
    expect(decideResourceChange(afterStop, instance('stopped'), undefined, at(1))).toEqual([]);
    expect(decideResourceChange(afterStop, instance('running'), undefined, at(2))).toMatchObject([
      { type: 'AssociationConsumptionChanged', data: { consumedLicenses: 4, reason: 'started' } },
    ]);
    expect(decideResourceChange(config, instance('running'), undefined, at(2))).toEqual([]);
  });

  it('ends the association when the resource is terminated or goes inactive', () => {
    expect(decideResourceChange(configuration('vCPU', []), instance('terminated'), undefined, at(1))).toMatchObject([
      { type: 'ResourceDisassociated', data: { reason: 'terminated' } },
    ]);
    expect(
      decideResourceChange(configuration('vCPU', []), instance('running', { active: false }), undefined, at(1)),
    ).toMatchObject([{ type: 'ResourceDisassociated', data: { reason: 'inactive' } }]);
  });

  it('keeps the licences on the host for the affinity period, then releases them', () => {
    const rules = ['#allowedTenancy=EC2-DedicatedHost', '#licenseAffinityToHost=30'];
    const [hold] = decideResourceChange(configuration('Core', rules), instance('terminated'), undefined, at(1));
    expect(hold).toEqual({
      type: 'AffinityHoldStarted',
      data: { resourceArn: instance('x').resourceArn, until: at(31).toISOString(), at: at(1).toISOString() },
    });
    const held = configuration('Core', rules, { affinityHoldUntil: at(31).toISOString() });
    expect(decideResourceChange(held, instance('terminated'), undefined, at(30))).toEqual([]);
    expect(decideResourceChange(held, instance('terminated'), undefined, at(31))).toMatchObject([
      { type: 'ResourceDisassociated', data: { reason: 'terminated' } },
    ]);
    // A stopped instance keeps its host's licences too, and starting again ends the hold.
    const [stopHold] = decideResourceChange(configuration('Core', rules), instance('stopped'), undefined, at(1));
    expect(stopHold.type).toBe('AffinityHoldStarted');
    expect(decideResourceChange(held, instance('stopped'), undefined, at(31))).toMatchObject([
      { type: 'AssociationConsumptionChanged', data: { consumedLicenses: 0, reason: 'affinity-ended' } },
    ]);
    expect(decideResourceChange(held, instance('running'), undefined, at(5))).toMatchObject([
      { type: 'AssociationConsumptionChanged', data: { consumedLicenses: 8, reason: 'started' } },
    ]);
  });

  it('records passing the licence count when a resource starts past it', () => {
    const config = { ...configuration('vCPU', [], { consumedLicenses: 0 }), licenseCount: 2 };
    expect(decideResourceChange(config, instance('running'), undefined, at(1)).map((e) => e.type)).toEqual([
      'AssociationConsumptionChanged',
      'LicenseCountExceeded',
    ]);
  });
});
