import {
  assertCataloguedVersion,
  type DiscoverySettingsEventData,
  type DomainEventMessage,
  type LinuxInstanceDescription,
  type LinuxInstanceEventData,
  type LinuxInstanceRef,
} from '@lm/contracts';
import type { CountedSeries } from './stream-counts';

/** The guide's Linux subscription metrics (namespace AWSLicenseManager/licenseUsage, unit Count). */
export const RUNNING_INSTANCES_METRIC = 'RunningInstancesCount';
export const AGGREGATE_RUNNING_INSTANCES_METRIC = 'AggregateRunningInstancesCount';

/** The EC2 state an instance counts in: only running instances are counted. */
const RUNNING = 'running';

/** An instance that counts: running, with a commercial Linux subscription, in an account and Region. */
export interface RunningInstance {
  accountId: string;
  region: string;
  subscriptionName: string;
}

/** What an instance event says of the instance's counting: running with a subscription, or not counted (`instance` null). */
export interface InstanceCounting {
  accountId: string;
  instance: RunningInstance | null;
}

type DescribingEvent =
  'LinuxInstanceSubscriptionClassified' | 'LinuxInstanceSubscriptionChanged' | 'LinuxInstanceDetailsUpdated';
const DESCRIBING = new Set<string>([
  'LinuxInstanceSubscriptionClassified',
  'LinuxInstanceSubscriptionChanged',
  'LinuxInstanceDetailsUpdated',
] satisfies DescribingEvent[]);

/**
 * How a linux-subscriptions event leaves its instance's counting: the events that describe the
 * whole instance (classified, subscription changed, details updated) say whether it runs and
 * under which subscription; LinuxInstanceGone ends its counting. Undefined for the others (dual
 * subscription, provider registration, subscription providers), which change no count.
 */
export function instanceCountingOf(event: DomainEventMessage<object>): InstanceCounting | undefined {
  if (event.service !== 'linux-subscriptions') return undefined;
  if (event.type === 'LinuxInstanceGone') {
    assertCataloguedVersion(event);
    return { accountId: (event.data as LinuxInstanceEventData['LinuxInstanceGone']).accountId, instance: null };
  }
  if (!DESCRIBING.has(event.type)) return undefined;
  assertCataloguedVersion(event);
  const data = event.data as LinuxInstanceRef & LinuxInstanceDescription;
  return {
    accountId: data.accountId,
    instance:
      data.status === RUNNING
        ? { accountId: data.accountId, region: data.region, subscriptionName: data.subscriptionName }
        : null,
  };
}

/**
 * The series a running instance counts in: its account's RunningInstancesCount by subscription
 * name, and by subscription name and Region; and, when its account belongs to an organization
 * discovered by its management account, that account's AggregateRunningInstancesCount by subscription
 * name (the organization's instances, the management account's own included) while its Linux
 * subscriptions discovery covers the organization.
 */
export function runningInstanceSeries(instance: RunningInstance, managementAccountId?: string): CountedSeries[] {
  const subscription = { Name: 'SubscriptionName', Value: instance.subscriptionName };
  return [
    { accountId: instance.accountId, metricName: RUNNING_INSTANCES_METRIC, dimensions: [subscription] },
    {
      accountId: instance.accountId,
      metricName: RUNNING_INSTANCES_METRIC,
      dimensions: [subscription, { Name: 'Region', Value: instance.region }],
    },
    ...(managementAccountId === undefined
      ? []
      : [
          {
            accountId: managementAccountId,
            metricName: AGGREGATE_RUNNING_INSTANCES_METRIC,
            dimensions: [subscription],
          },
        ]),
  ];
}

/** Names a series' count and its hourly points (their sources): the account, the metric, the dimensions. */
export const runningInstancesKey = (series: CountedSeries) =>
  `running-instances-${series.accountId}-${series.metricName}-${series.dimensions.map((d) => `${d.Name}=${d.Value}`).join(',')}`;

/** The organization whose instances a management account's aggregate counts: its accounts, none when not discovered. */
export interface DiscoveredOrganization {
  managementAccountId: string;
  /** The organization's accounts, the management account's included, sorted; none when it is not discovered. */
  accountIds: string[];
}

/**
 * What linux-subscriptions' DiscoverySettingsUpdated says of an account's organization: discovered
 * (discovery enabled with organization integration, granted to the management account of an
 * organization: the settings then name the organization's accounts) or not; undefined for any
 * other event. The guide's AggregateRunningInstancesCount counts the instances of those accounts.
 */
export function discoveredOrganizationOf(event: DomainEventMessage<object>): DiscoveredOrganization | undefined {
  if (event.service !== 'linux-subscriptions' || event.type !== 'DiscoverySettingsUpdated') return undefined;
  assertCataloguedVersion(event);
  const settings = event.data as DiscoverySettingsEventData['DiscoverySettingsUpdated'];
  const accountIds = settings.organizationAccountIds;
  return {
    managementAccountId: settings.accountId,
    accountIds: accountIds ? [...new Set([settings.accountId, ...accountIds])].sort() : [],
  };
}
