import { DeciderSpecification, type Decider } from '@lm/event-store';
import { describe, expect, it } from 'vitest';
import { licenseConfigurationDecider } from '../src/configurations/domain/decide';
import type { LicenseConfigurationEvent } from '../src/configurations/domain/events';
import type { LicenseConfigurationState } from '../src/configurations/domain/license-configuration';
import { decideResourceChange } from '../src/specifications/domain/resource-lifecycle';
import type { ResourceFacts } from '../src/shared/resource';

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

/** What a configuration decides when a resource associated with it changes (as the resource lifecycle asks it). */
type ResourceChange = { resource: ResourceFacts; now: Date };
const onResourceChange: Decider<ResourceChange, LicenseConfigurationEvent, LicenseConfigurationState> = {
  initialState: licenseConfigurationDecider.initialState,
  evolve: licenseConfigurationDecider.evolve,
  decide: ({ resource, now }, state) =>
    state.status === 'present' ? decideResourceChange(state.configuration, resource, undefined, now) : [],
};
const { given } = DeciderSpecification.for(onResourceChange);
const change = (state: string, now: Date, facts: Partial<ResourceFacts> = {}): ResourceChange => ({
  resource: instance(state, facts),
  now,
});

/** A configuration created with these rules, and the instance associated with it. */
function configuration(
  countingType: 'vCPU' | 'Core',
  rules: string[],
  { licenseCount = 100, consumedLicenses = countingType === 'Core' ? 8 : 4 } = {},
): LicenseConfigurationEvent[] {
  return [
    {
      type: 'LicenseConfigurationCreated',
      data: {
        id: 'lic-1',
        arn: 'arn:aws:license-manager:us-east-1:111111111111:license-configuration:lic-1',
        ownerAccountId: '111111111111',
        region: 'us-east-1',
        countingType,
        tags: {},
        createdAt: t0.toISOString(),
        name: 'c',
        hardLimit: true,
        licenseCount,
        rules,
        productInformationList: [],
        disassociateWhenNotFound: false,
        status: 'AVAILABLE',
      },
    },
    {
      type: 'ResourceAssociated',
      data: {
        resourceArn: instance('running').resourceArn,
        resourceType: 'EC2_INSTANCE',
        resourceOwnerId: '111111111111',
        associatedAt: t0.toISOString(),
        consumptionKey: 'host/h-1',
        consumedLicenses,
      },
    },
  ];
}

describe('what a change of an associated resource decides', () => {
  it('releases on stop and consumes again on start, once', () => {
    const config = configuration('vCPU', []);
    const stopped = given(config)
      .when(change('stopped', at(1)))
      .then((events) =>
        expect(events).toMatchObject([
          { type: 'AssociationConsumptionChanged', data: { consumedLicenses: 0, reason: 'stopped' } },
        ]),
      );
    const afterStop = [...config, ...stopped];
    given(afterStop)
      .when(change('stopped', at(1)))
      .thenNothing();
    given(afterStop)
      .when(change('running', at(2)))
      .then((events) =>
        expect(events).toMatchObject([
          { type: 'AssociationConsumptionChanged', data: { consumedLicenses: 4, reason: 'started' } },
        ]),
      );
    given(config)
      .when(change('running', at(2)))
      .thenNothing();
  });

  it('ends the association when the resource is terminated or goes inactive', () => {
    given(configuration('vCPU', []))
      .when(change('terminated', at(1)))
      .then((events) =>
        expect(events).toMatchObject([{ type: 'ResourceDisassociated', data: { reason: 'terminated' } }]),
      );
    given(configuration('vCPU', []))
      .when(change('running', at(1), { active: false }))
      .then((events) =>
        expect(events).toMatchObject([{ type: 'ResourceDisassociated', data: { reason: 'inactive' } }]),
      );
  });

  it('keeps the licences on the host for the affinity period, then releases them', () => {
    const rules = ['#allowedTenancy=EC2-DedicatedHost', '#licenseAffinityToHost=30'];
    const hold = given(configuration('Core', rules))
      .when(change('terminated', at(1)))
      .then([
        {
          type: 'AffinityHoldStarted',
          data: { resourceArn: instance('x').resourceArn, until: at(31).toISOString(), at: at(1).toISOString() },
        },
      ]);
    const held = [...configuration('Core', rules), ...hold];
    given(held)
      .when(change('terminated', at(30)))
      .thenNothing();
    given(held)
      .when(change('terminated', at(31)))
      .then((events) =>
        expect(events).toMatchObject([{ type: 'ResourceDisassociated', data: { reason: 'terminated' } }]),
      );
    // A stopped instance keeps its host's licences too, and starting again ends the hold.
    given(configuration('Core', rules))
      .when(change('stopped', at(1)))
      .then((events) => expect(events.map((event) => event.type)).toEqual(['AffinityHoldStarted']));
    given(held)
      .when(change('stopped', at(31)))
      .then((events) =>
        expect(events).toMatchObject([
          { type: 'AssociationConsumptionChanged', data: { consumedLicenses: 0, reason: 'affinity-ended' } },
        ]),
      );
    given(held)
      .when(change('running', at(5)))
      .then((events) =>
        expect(events).toMatchObject([
          { type: 'AssociationConsumptionChanged', data: { consumedLicenses: 8, reason: 'started' } },
        ]),
      );
  });

  it('records passing the licence count when a resource starts past it', () => {
    given(configuration('vCPU', [], { consumedLicenses: 0, licenseCount: 2 }))
      .when(change('running', at(1)))
      .then((events) =>
        expect(events.map((e) => e.type)).toEqual(['AssociationConsumptionChanged', 'LicenseCountExceeded']),
      );
  });
});
