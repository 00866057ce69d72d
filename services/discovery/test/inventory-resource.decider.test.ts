import { DeciderSpecification } from '@lm/event-store';
import { describe, expect, it } from 'vitest';
import type { InventoryResourceCommand, ReportedAttributes } from '../src/domain/inventory-resource/commands';
import { inventoryResourceDecider as decider, inventoryResourceStream } from '../src/domain/inventory-resource/decide';
import type { ResourceIdentity } from '../src/domain/inventory-resource/events';
import { isListed, type InventoryResourceState } from '../src/domain/inventory-resource/inventory-resource';

const DAY = 24 * 3600_000;
const t0 = new Date('2026-03-01T12:00:00Z');
const at = (days: number) => new Date(t0.getTime() + days * DAY);

const instance: ResourceIdentity = {
  accountId: '222222222222',
  region: 'us-east-1',
  resourceId: 'i-0123456789abcdef0',
  resourceType: 'EC2_INSTANCE',
  resourceArn: 'arn:aws:ec2:us-east-1:222222222222:instance/i-0123456789abcdef0',
};
const running: ReportedAttributes = {
  state: 'running',
  platform: 'Windows Server 2022 Datacenter',
  instanceType: 'm5.large',
  vCpuCount: 2,
  tags: { env: 'prod', team: 'data' },
  applications: [{ name: 'SQL Server Enterprise', version: '16.0', publisher: 'Microsoft' }],
  licenseIncluded: ['windows-server-datacenter'],
};
const observe = (
  attributes: ReportedAttributes,
  observedAt: Date,
): Extract<InventoryResourceCommand, { type: 'ObserveResource' }> => ({
  type: 'ObserveResource',
  resource: instance,
  attributes,
  observedAt,
});

const { given } = DeciderSpecification.for(decider);

const known = (state: InventoryResourceState) => {
  if (state.status !== 'known') throw new Error('expected a known resource');
  return state.resource;
};

describe('inventory resource decider', () => {
  const [first] = given([]).when(observe(running, t0)).decided();

  it('records a first report with every attribute, unreported ones as null', () => {
    given([])
      .when(observe(running, t0))
      .then([
        {
          type: 'ResourceObserved',
          data: {
            ...instance,
            state: 'running',
            platform: 'Windows Server 2022 Datacenter',
            platformVersion: null,
            usageOperation: null,
            instanceType: 'm5.large',
            vCpuCount: 2,
            coreCount: null,
            socketCount: null,
            threadsPerCore: null,
            tenancy: null,
            hostId: null,
            amiId: null,
            licenseIncluded: ['windows-server-datacenter'],
            tags: { env: 'prod', team: 'data' },
            applications: [{ name: 'SQL Server Enterprise', version: '16.0', publisher: 'Microsoft' }],
            subnetId: null,
            productCodes: [],
            billingProducts: [],
            stopProtection: null,
            imageOwner: null,
            ssmManaged: null,
            observedAt: t0.toISOString(),
          },
        },
      ]);
    expect(first.data).not.toHaveProperty('previousState');
  });

  it('decides nothing for the same report again, in any list order, within a day', () => {
    given([first]).when(observe(running, t0)).thenNothing();
    const reordered = {
      ...running,
      tags: { team: 'data', env: 'prod' },
      licenseIncluded: ['windows-server-datacenter', 'windows-server-datacenter'],
    };
    given([first])
      .when(observe(reordered, at(0.5)))
      .thenNothing();
  });

  it('records a change with the previous state, keeping attributes the report leaves out', () => {
    given([first])
      .when(observe({ state: 'stopped' }, at(1)))
      .then((events) =>
        expect(events).toMatchObject([
          {
            type: 'ResourceObserved',
            data: {
              state: 'stopped',
              previousState: 'running',
              platform: 'Windows Server 2022 Datacenter',
              vCpuCount: 2,
              observedAt: at(1).toISOString(),
            },
          },
        ]),
      );
    given([first])
      .when(observe({ state: 'running', tags: {} }, at(1)))
      .then((events) =>
        expect(events).toMatchObject([{ type: 'ResourceObserved', data: { tags: {}, previousState: 'running' } }]),
      );
  });

  it('records the subnet and product codes (sorted, one per id), kept when a later report leaves them out', () => {
    const marketplace = { productCodeId: 'b6lxq4ytnqemyhtnhkcnhzh4p', productCodeType: 'marketplace' as const };
    const untyped = { productCodeId: 'a1b2c3', productCodeType: null };
    const [placed] = given([first])
      .when(
        observe(
          { state: 'running', subnetId: 'subnet-0abc1234', productCodes: [marketplace, untyped, marketplace] },
          at(1),
        ),
      )
      .decided();
    expect(placed.data).toMatchObject({ subnetId: 'subnet-0abc1234', productCodes: [untyped, marketplace] });
    given([first, placed])
      .when(observe({ state: 'stopped' }, at(2)))
      .then((events) =>
        expect(events).toMatchObject([
          { data: { state: 'stopped', subnetId: 'subnet-0abc1234', productCodes: [untyped, marketplace] } },
        ]),
      );
  });

  it('records billing products (sorted, once each), stop protection, image owner and Systems Manager inventory, kept when a later report leaves them out', () => {
    const conversionFacts = {
      billingProducts: ['bp-6ba54002', 'bp-62a5400b', 'bp-6ba54002'],
      stopProtection: true,
      imageOwner: 'self',
      ssmManaged: true,
    };
    const [reported] = given([first])
      .when(observe({ state: 'stopped', ...conversionFacts }, at(1)))
      .decided();
    const recorded = { ...conversionFacts, billingProducts: ['bp-62a5400b', 'bp-6ba54002'] };
    expect(reported.data).toMatchObject(recorded);
    given([first, reported])
      .when(observe({ state: 'stopped', stopProtection: false }, at(2)))
      .then((events) => expect(events).toMatchObject([{ data: { ...recorded, stopProtection: false } }]));
  });

  it('takes a v1 event recorded before BillingProducts, StopProtection, ImageOwner and SsmManaged existed as none reported', () => {
    const { billingProducts: _b, stopProtection: _s, imageOwner: _i, ssmManaged: _m, ...recordedBefore } = first.data;
    given([{ type: 'ResourceObserved', data: recordedBefore }])
      .when(observe(running, at(0.5)))
      .thenNothing();
  });

  it('takes a v1 event recorded before SubnetId and ProductCodes existed as neither reported: the same report again is no change', () => {
    const { subnetId: _subnet, productCodes: _codes, ...recordedBefore } = first.data;
    given([{ type: 'ResourceObserved', data: recordedBefore }])
      .when(observe(running, at(0.5)))
      .thenNothing();
  });

  it('ignores a report older than the last one recorded', () => {
    const [stopped] = given([first])
      .when(observe({ state: 'stopped' }, at(2)))
      .decided();
    given([first, stopped])
      .when(observe({ state: 'running' }, at(1)))
      .thenNothing();
  });

  it('refreshes the last observation when an unchanged report comes a day or more later', () => {
    given([first])
      .when(observe(running, at(1)))
      .then([{ type: 'ResourceObservationRefreshed', data: { ...instance, observedAt: at(1).toISOString() } }]);
  });

  it('inactivates a resource not reported for 30 days, and a later report makes it active again', () => {
    given([first])
      .when({ type: 'CheckActivity', now: at(29.9) })
      .thenNothing();
    const [inactivated] = given([first])
      .when({ type: 'CheckActivity', now: at(30) })
      .then([
        {
          type: 'ResourceInactivated',
          data: { ...instance, lastObservedAt: t0.toISOString(), inactivatedAt: at(30).toISOString() },
        },
      ]);
    const inactive = given([first, inactivated]);
    expect(known(inactive.state)).toMatchObject({ active: false });
    expect(isListed(known(inactive.state))).toBe(false);
    inactive.when({ type: 'CheckActivity', now: at(40) }).thenNothing();

    const [reactivated] = inactive
      .when(observe(running, at(31)))
      .then((events) =>
        expect(events).toMatchObject([
          { type: 'ResourceObserved', data: { state: 'running', previousState: 'running' } },
        ]),
      );
    expect(known(given([first, inactivated, reactivated]).state)).toMatchObject({
      active: true,
      lastObservedAt: at(31).toISOString(),
    });
  });

  it('counts the 30 days from the last refresh', () => {
    const [refreshed] = given([first])
      .when(observe(running, at(10)))
      .decided();
    given([first, refreshed])
      .when({ type: 'CheckActivity', now: at(39) })
      .thenNothing();
    given([first, refreshed])
      .when({ type: 'CheckActivity', now: at(40) })
      .then((events) => expect(events).toHaveLength(1));
  });

  it('refuses a state that does not fit the type', () => {
    given([])
      .when(observe({ state: 'available' }, t0))
      .thenThrows(/not a state of a EC2_INSTANCE/);
    const ami = {
      ...instance,
      resourceType: 'EC2_AMI' as const,
      resourceId: 'ami-1',
      resourceArn: 'arn:aws:ec2:us-east-1::image/ami-1',
    };
    given([])
      .when({ type: 'ObserveResource', resource: ami, attributes: { state: 'running' }, observedAt: t0 })
      .thenThrows(/not a state of a EC2_AMI/);
    given([])
      .when({ type: 'ObserveResource', resource: ami, attributes: { state: 'deregistered' }, observedAt: t0 })
      .then((events) => expect(events).toHaveLength(1));
  });

  it('lists existing, active resources only', () => {
    const state = (attributes: ReportedAttributes) =>
      known(given(given([]).when(observe(attributes, t0)).decided()).state);
    expect(isListed(state({ state: 'stopped' }))).toBe(true);
    expect(isListed(state({ state: 'terminated' }))).toBe(false);
  });

  it('keeps one stream per account, Region, type and id', () => {
    expect(inventoryResourceStream(instance)).toBe(
      'inventory-resource/222222222222/us-east-1/EC2_INSTANCE/i-0123456789abcdef0',
    );
  });
});
