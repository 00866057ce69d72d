import type { DomainEventMessage, LinuxInstanceEventData } from '@lm/contracts';
import { describe, expect, it } from 'vitest';
import {
  instanceCountingOf,
  discoveredOrganizationOf,
  runningInstanceSeries,
  runningInstancesKey,
} from '../src/usage-metrics/domain/running-instances';
import { countSample, countSampleKey, seriesCount, seriesToRecount } from '../src/usage-metrics/domain/stream-counts';
import {
  subscribedUserSeries,
  subscribedUsersKey,
  subscriptionChangeOf,
} from '../src/usage-metrics/domain/subscribed-users';

const MEMBER = '222222222222';
const MANAGEMENT = '111111111111';
const RHEL = 'Red Hat Enterprise Linux Server';

const message = (service: string, type: string, data: object): DomainEventMessage => ({
  service,
  eventId: 'event-1',
  streamName: 'stream-1',
  streamVersion: 1,
  type,
  schemaVersion: 1,
  data: data as Record<string, unknown>,
  recordedAt: '2026-03-01T10:00:00.000Z',
});

/** An instance's whole description, as the contract's describing events carry it. */
const described = (status: string, subscriptionName = RHEL): LinuxInstanceEventData['LinuxInstanceDetailsUpdated'] => ({
  accountId: MEMBER,
  region: 'eu-west-1',
  instanceId: 'i-0123456789abcdef0',
  at: '2026-03-01T10:00:00.000Z',
  subscriptionName,
  subscriptionType: 'EC2 subscription-included',
  usageOperation: 'RunInstances:0010',
  productCodes: [],
  status,
  lastUpdatedTime: '2026-03-01T10:00:00.000Z',
});

describe('a metric counted over streams', () => {
  it('recounts the series a stream leaves and those it joins, sorted, not those it stays in', () => {
    expect(seriesToRecount([], ['b', 'a'])).toEqual(['a', 'b']);
    expect(seriesToRecount(['a', 'b'], [])).toEqual(['a', 'b']);
    expect(seriesToRecount(['a', 'c'], ['c', 'b'])).toEqual(['a', 'b']);
    expect(seriesToRecount(['a', 'b'], ['b', 'a'])).toEqual([]);
    expect(seriesToRecount([], [])).toEqual([]);
  });

  it('samples a count in unit Count, named by its metric and dimension values', () => {
    const series = {
      accountId: MEMBER,
      metricName: 'M',
      dimensions: [
        { Name: 'A', Value: 'x' },
        { Name: 'B', Value: 'y' },
      ],
    };
    expect(countSample(seriesCount(series, 3))).toEqual({
      metricName: 'M',
      dimensions: series.dimensions,
      unit: 'Count',
      value: 3,
    });
    expect(countSampleKey(series)).toBe('M:x:y');
  });
});

describe('subscribed users', () => {
  const data = { accountId: MEMBER, product: 'REMOTE_DESKTOP_SERVICES', username: 'alice', at: '2026-03-01T10:00:00Z' };

  it('counts a user from its success until its unsubscription, in its account product series', () => {
    expect(subscriptionChangeOf(message('user-subscriptions', 'ProductSubscriptionSucceeded', data))).toMatchObject({
      subscribed: true,
    });
    expect(subscriptionChangeOf(message('user-subscriptions', 'ProductUnsubscribed', data))).toMatchObject({
      subscribed: false,
    });
    expect(subscriptionChangeOf(message('user-subscriptions', 'ProductSubscriptionRequested', data))).toBeUndefined();
    const [series] = subscribedUserSeries(data);
    expect(series).toEqual({
      accountId: MEMBER,
      metricName: 'SubscribedUserCount',
      dimensions: [{ Name: 'Product', Value: 'REMOTE_DESKTOP_SERVICES' }],
    });
    // The key its points were always named by (migration 009 carries the rows over under it).
    expect(subscribedUsersKey(series!)).toBe(`subscribed-users-${MEMBER}-REMOTE_DESKTOP_SERVICES`);
    expect(countSampleKey(series!)).toBe('SubscribedUserCount:REMOTE_DESKTOP_SERVICES');
  });
});

describe('running instances with a Linux subscription', () => {
  it('counts an instance while a describing event says it runs', () => {
    for (const type of [
      'LinuxInstanceSubscriptionClassified',
      'LinuxInstanceSubscriptionChanged',
      'LinuxInstanceDetailsUpdated',
    ])
      expect(instanceCountingOf(message('linux-subscriptions', type, described('running')))).toEqual({
        accountId: MEMBER,
        instance: { accountId: MEMBER, region: 'eu-west-1', subscriptionName: RHEL },
      });
    for (const status of ['stopped', 'pending', 'stopping', 'shutting-down'])
      expect(
        instanceCountingOf(message('linux-subscriptions', 'LinuxInstanceDetailsUpdated', described(status))),
      ).toEqual({ accountId: MEMBER, instance: null });
  });

  it('ends its counting when it is gone, and leaves it to the others', () => {
    const ref = { accountId: MEMBER, region: 'eu-west-1', instanceId: 'i-1', at: '2026-03-01T10:00:00Z' };
    expect(
      instanceCountingOf(message('linux-subscriptions', 'LinuxInstanceGone', { ...ref, reason: 'TERMINATED' })),
    ).toEqual({
      accountId: MEMBER,
      instance: null,
    });
    for (const type of [
      'LinuxInstanceDualSubscriptionChanged',
      'LinuxInstanceProviderRegistrationChanged',
      'SubscriptionProviderRegistered',
    ])
      expect(instanceCountingOf(message('linux-subscriptions', type, ref))).toBeUndefined();
    expect(
      instanceCountingOf(message('discovery', 'LinuxInstanceDetailsUpdated', described('running'))),
    ).toBeUndefined();
  });

  it('refuses an instance event of a schema version it does not read', () => {
    const event = {
      ...message('linux-subscriptions', 'LinuxInstanceDetailsUpdated', described('running')),
      schemaVersion: 2,
    };
    expect(() => instanceCountingOf(event)).toThrow(/schema version 2/);
  });

  it('counts by subscription name, by subscription name and Region, and in its organization aggregate', () => {
    const instance = { accountId: MEMBER, region: 'eu-west-1', subscriptionName: RHEL };
    const subscription = { Name: 'SubscriptionName', Value: RHEL };
    const own = [
      { accountId: MEMBER, metricName: 'RunningInstancesCount', dimensions: [subscription] },
      {
        accountId: MEMBER,
        metricName: 'RunningInstancesCount',
        dimensions: [subscription, { Name: 'Region', Value: 'eu-west-1' }],
      },
    ];
    expect(runningInstanceSeries(instance)).toEqual(own);
    expect(runningInstanceSeries(instance, MANAGEMENT)).toEqual([
      ...own,
      { accountId: MANAGEMENT, metricName: 'AggregateRunningInstancesCount', dimensions: [subscription] },
    ]);
    const keys = runningInstanceSeries(instance, MANAGEMENT).map(runningInstancesKey);
    expect(new Set(keys).size).toBe(3);
    expect(keys[1]).toBe(`running-instances-${MEMBER}-RunningInstancesCount-SubscriptionName=${RHEL},Region=eu-west-1`);
  });

  it("reads the organization a management account's discovery covers from its settings, none when it covers none", () => {
    const settings = {
      accountId: MANAGEMENT,
      homeRegion: 'us-east-1',
      revision: 2,
      discovery: 'Enabled',
      sourceRegions: ['us-east-1', 'eu-west-1'],
      organizationIntegration: 'Enabled',
      organizationAccountIds: [MEMBER, '333333333333'],
      regions: {},
      at: '2026-03-01T10:00:00Z',
    };
    expect(discoveredOrganizationOf(message('linux-subscriptions', 'DiscoverySettingsUpdated', settings))).toEqual({
      managementAccountId: MANAGEMENT,
      accountIds: [MANAGEMENT, MEMBER, '333333333333'],
    });
    const alone = { ...settings, organizationIntegration: 'Disabled', organizationAccountIds: undefined };
    expect(discoveredOrganizationOf(message('linux-subscriptions', 'DiscoverySettingsUpdated', alone))).toEqual({
      managementAccountId: MANAGEMENT,
      accountIds: [],
    });
    expect(discoveredOrganizationOf(message('licensing', 'DiscoverySettingsUpdated', settings))).toBeUndefined();
    expect(
      discoveredOrganizationOf(message('linux-subscriptions', 'DiscoveryStepsSucceeded', settings)),
    ).toBeUndefined();
  });
});
