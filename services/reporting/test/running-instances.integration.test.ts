import type { Caller, DomainEventMessage } from '@lm/contracts';
import { ManualClock, openServiceStorageOf, type ServiceStorage } from '@lm/service-kit';
import { sql } from 'kysely';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportingService } from '../src/reporting.service';
import { RunningInstancesConsumer } from '../src/usage-metrics/application/running-instances.consumer';
import { StreamCountGauges } from '../src/usage-metrics/application/stream-count.gauges';
import { UsageMetricsQueries } from '../src/usage-metrics/application/usage-metrics.queries';
import { UsageMetricsSweep } from '../src/usage-metrics/application/usage-metrics.sweep';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

const MANAGEMENT = '111111111111';
const MEMBER = '222222222222';
const STRANGER = '333333333333';
const RHEL = 'Red Hat Enterprise Linux Server';
const RHEL_HA = 'Red Hat Enterprise Linux with High Availability';
const SUSE = 'SUSE Linux Enterprise Server';
const at = (time: string) => new Date(`2026-03-01T${time}Z`);

let eventIds = 0;
/** An event as linux-subscriptions' relay publishes it on lm.events.linux-subscriptions.<type>. */
const published = (streamName: string, version: number, type: string, data: object, time: string) =>
  ({
    service: 'linux-subscriptions',
    eventId: `event-${++eventIds}`,
    streamName,
    streamVersion: version,
    type,
    schemaVersion: 1,
    data: { ...data, at: at(time).toISOString() },
    recordedAt: at(time).toISOString(),
  }) as DomainEventMessage;

/** An instance's event, with the whole description the describing events carry (the contract's data). */
const instanceEvent = (
  accountId: string,
  region: string,
  instanceId: string,
  version: number,
  type: string,
  time: string,
  description?: { subscriptionName: string; status: string; previousSubscriptionName?: string },
  extra: object = {},
) =>
  published(
    `linux-instance-${accountId}-${region}-${instanceId}`,
    version,
    type,
    {
      accountId,
      region,
      instanceId,
      ...(description && {
        subscriptionType: 'EC2 subscription-included',
        usageOperation: 'RunInstances:0010',
        productCodes: [],
        instanceType: 't3.medium',
        lastUpdatedTime: at(time).toISOString(),
        ...description,
      }),
      ...extra,
    },
    time,
  );

/** The management account's discovery settings: its organization covered (the accounts given) or not. */
const settingsEvent = (version: number, organizationAccountIds: string[] | undefined, time: string) =>
  published(
    `linux-discovery-settings-${MANAGEMENT}`,
    version,
    'DiscoverySettingsUpdated',
    {
      accountId: MANAGEMENT,
      homeRegion: 'us-east-1',
      revision: version,
      discovery: 'Enabled',
      sourceRegions: ['us-east-1', 'eu-west-1'],
      organizationIntegration: organizationAccountIds ? 'Enabled' : 'Disabled',
      ...(organizationAccountIds && { organizationAccountIds }),
      regions: {},
    },
    time,
  );

const ORGANIZATION = settingsEvent(1, [MANAGEMENT, MEMBER], '10:00:00');

/**
 * The member's i-a runs RHEL in eu-west-1 from 10:10 and becomes RHEL with HA at 11:30; its i-b
 * runs RHEL in us-east-1 from 10:20 until terminated at 12:15; the management account's i-c is
 * classified stopped with SUSE at 10:30 and runs from 10:40. A dual subscription changes no count.
 */
const INSTANCES = [
  instanceEvent(MEMBER, 'eu-west-1', 'i-a', 1, 'LinuxInstanceSubscriptionClassified', '10:10:00', {
    subscriptionName: RHEL,
    status: 'running',
  }),
  instanceEvent(MEMBER, 'us-east-1', 'i-b', 1, 'LinuxInstanceSubscriptionClassified', '10:20:00', {
    subscriptionName: RHEL,
    status: 'running',
  }),
  instanceEvent(MANAGEMENT, 'us-east-1', 'i-c', 1, 'LinuxInstanceSubscriptionClassified', '10:30:00', {
    subscriptionName: SUSE,
    status: 'stopped',
  }),
  instanceEvent(MANAGEMENT, 'us-east-1', 'i-c', 2, 'LinuxInstanceDetailsUpdated', '10:40:00', {
    subscriptionName: SUSE,
    status: 'running',
  }),
  instanceEvent(MEMBER, 'eu-west-1', 'i-a', 2, 'LinuxInstanceDualSubscriptionChanged', '11:00:30', undefined, {
    dualSubscription: true,
    dualSubscriptionReason: 'REGISTERED_WITH_PROVIDER',
  }),
  instanceEvent(MEMBER, 'eu-west-1', 'i-a', 3, 'LinuxInstanceSubscriptionChanged', '11:30:00', {
    subscriptionName: RHEL_HA,
    status: 'running',
    previousSubscriptionName: RHEL,
  }),
  instanceEvent(MEMBER, 'us-east-1', 'i-b', 2, 'LinuxInstanceGone', '12:15:00', undefined, { reason: 'TERMINATED' }),
];

const callerOf = (accountId: string): Caller => ({
  accountId,
  principalArn: `arn:aws:iam::${accountId}:root`,
  accessKeyId: `AKIA${accountId}`,
  region: 'us-east-1',
});

describe('running instances per Linux subscription from linux-subscriptions events, with a manual clock', () => {
  let database: TestDatabase;
  let storage: ServiceStorage;
  const clock = new ManualClock(at('10:00:00'));
  const consumer = new RunningInstancesConsumer();
  let sweep: UsageMetricsSweep;
  let queries: UsageMetricsQueries;

  const apply = (event: DomainEventMessage) => storage.db.transaction().execute((trx) => consumer.handle(event, trx));
  /** Each series' points: "<account> <metric> <dimension values>" -> ["hh:mm value source"]. */
  const points = async () => {
    const rows = await sql<{
      account_id: string;
      metric_name: string;
      dimensions: { Value: string }[];
      timestamp: Date;
      sum: number;
      source: string;
    }>`
      select account_id, metric_name, dimensions, timestamp, sum, source from reporting.metric_points
      where metric_name in ('RunningInstancesCount', 'AggregateRunningInstancesCount')
      order by timestamp, source`.execute(storage.db);
    const series: Record<string, string[]> = {};
    for (const row of rows.rows) {
      const name = [row.account_id, row.metric_name, ...row.dimensions.map((d) => d.Value)].join(' ');
      (series[name] ??= []).push(
        `${row.timestamp.toISOString().slice(11, 16)} ${Number(row.sum)} ${row.source.split(':')[0]}`,
      );
    }
    return series;
  };
  const counts = async () =>
    Object.fromEntries(
      (
        await sql<{ key: string; usage: { count: number } }>`
          select key, usage from reporting.running_instance_counts order by key`.execute(storage.db)
      ).rows.map((row) => [row.key, row.usage.count]),
    );
  const reset = () =>
    sql`truncate reporting.metric_points, reporting.running_instance_streams, reporting.running_instance_counts,
        reporting.discovered_organizations`.execute(storage.db);

  beforeAll(async () => {
    database = await createTestDatabase('lm_running_instances');
    storage = await openServiceStorageOf(ReportingService, { DATABASE_URL: database.url });
    sweep = new UsageMetricsSweep(storage.db, clock);
    queries = new UsageMetricsQueries(storage.db, clock);
  });
  afterAll(async () => {
    await storage?.close();
    await database?.drop();
  });

  let original: Record<string, string[]>;
  let finalCounts: Record<string, number>;

  it("writes each account's counts by subscription, and by subscription and Region, and the organization's aggregate, at every change and hour", async () => {
    await apply(ORGANIZATION);
    for (const event of INSTANCES) await apply(event);
    clock.set(at('13:10:00'));
    await sweep.sweep();
    original = await points();
    finalCounts = await counts();
    expect(original).toEqual({
      [`${MEMBER} RunningInstancesCount ${RHEL}`]: [
        '10:10 1 event',
        '10:20 2 event',
        '11:00 2 hourly',
        '11:30 1 event',
        '12:00 1 hourly',
        '12:15 0 event',
        '13:00 0 hourly',
      ],
      [`${MEMBER} RunningInstancesCount ${RHEL} eu-west-1`]: [
        '10:10 1 event',
        '11:00 1 hourly',
        '11:30 0 event',
        '12:00 0 hourly',
        '13:00 0 hourly',
      ],
      [`${MEMBER} RunningInstancesCount ${RHEL} us-east-1`]: [
        '10:20 1 event',
        '11:00 1 hourly',
        '12:00 1 hourly',
        '12:15 0 event',
        '13:00 0 hourly',
      ],
      [`${MEMBER} RunningInstancesCount ${RHEL_HA}`]: ['11:30 1 event', '12:00 1 hourly', '13:00 1 hourly'],
      [`${MEMBER} RunningInstancesCount ${RHEL_HA} eu-west-1`]: ['11:30 1 event', '12:00 1 hourly', '13:00 1 hourly'],
      [`${MANAGEMENT} RunningInstancesCount ${SUSE}`]: [
        '10:40 1 event',
        '11:00 1 hourly',
        '12:00 1 hourly',
        '13:00 1 hourly',
      ],
      [`${MANAGEMENT} RunningInstancesCount ${SUSE} us-east-1`]: [
        '10:40 1 event',
        '11:00 1 hourly',
        '12:00 1 hourly',
        '13:00 1 hourly',
      ],
      [`${MANAGEMENT} AggregateRunningInstancesCount ${RHEL}`]: [
        '10:10 1 event',
        '10:20 2 event',
        '11:00 2 hourly',
        '11:30 1 event',
        '12:00 1 hourly',
        '12:15 0 event',
        '13:00 0 hourly',
      ],
      [`${MANAGEMENT} AggregateRunningInstancesCount ${RHEL_HA}`]: [
        '11:30 1 event',
        '12:00 1 hourly',
        '13:00 1 hourly',
      ],
      [`${MANAGEMENT} AggregateRunningInstancesCount ${SUSE}`]: [
        '10:40 1 event',
        '11:00 1 hourly',
        '12:00 1 hourly',
        '13:00 1 hourly',
      ],
    });
  });

  it('writes the same points when every event is redelivered, and when they are replayed from the beginning', async () => {
    for (const event of [ORGANIZATION, ...INSTANCES]) await apply(event);
    await sweep.sweep();
    expect(await points()).toEqual(original);
    await reset();
    clock.set(at('10:00:00'));
    for (const event of [ORGANIZATION, ...INSTANCES]) await apply(event);
    clock.set(at('13:10:00'));
    await sweep.sweep();
    expect(await points()).toEqual(original);
  });

  it('ends with the same counts when JetStream redelivers events behind later ones of their stream', async () => {
    await reset();
    // i-a's subscription change and i-b's end come before their classification (redelivered after their ack wait).
    const [aClassified, bClassified, cClassified, cRunning, aDual, aChanged, bGone] = INSTANCES;
    for (const event of [bGone!, aChanged!, ORGANIZATION, cRunning!, aClassified!, aDual!, bClassified!, cClassified!])
      await apply(event);
    // A series no stream ever joined has no count: it is 0 as the others end.
    const counted = (all: Record<string, number>) => Object.entries(all).filter(([, count]) => count > 0);
    expect(counted(await counts())).toEqual(counted(finalCounts));
    expect(Object.values(finalCounts)).toContain(0);
    // The older events wrote nothing: i-b never counted, i-a counted under RHEL with HA only from its change.
    const replayed = await points();
    expect(replayed[`${MEMBER} RunningInstancesCount ${RHEL} us-east-1`]).toBeUndefined();
    expect(replayed[`${MEMBER} RunningInstancesCount ${RHEL_HA}`]).toEqual(['11:30 1 event']);
    // Across streams, points follow the order events are applied in: the organization's settings,
    // applied after i-a's change, count it in the aggregate from the settings' time.
    expect(replayed[`${MANAGEMENT} AggregateRunningInstancesCount ${RHEL_HA}`]).toEqual(['10:00 1 event']);
  });

  it("counts the instances in the aggregate from when the management account's discovery covers the organization, and no more after", async () => {
    await reset();
    clock.set(at('10:00:00'));
    for (const event of INSTANCES) await apply(event);
    const aggregate = async () =>
      Object.fromEntries(Object.entries(await points()).filter(([name]) => name.includes('Aggregate')));
    expect(await aggregate()).toEqual({});
    await apply(settingsEvent(1, [MANAGEMENT, MEMBER], '12:30:00'));
    expect(await aggregate()).toEqual({
      [`${MANAGEMENT} AggregateRunningInstancesCount ${RHEL_HA}`]: ['12:30 1 event'],
      [`${MANAGEMENT} AggregateRunningInstancesCount ${SUSE}`]: ['12:30 1 event'],
    });
    // The member leaves the organization: only the management account's own instance is counted.
    await apply(settingsEvent(2, [MANAGEMENT], '12:40:00'));
    // Organization integration turned off: nothing is aggregated any more.
    await apply(settingsEvent(3, undefined, '12:50:00'));
    // The first settings redelivered change nothing.
    await apply(settingsEvent(1, [MANAGEMENT, MEMBER], '12:30:00'));
    expect(await aggregate()).toEqual({
      [`${MANAGEMENT} AggregateRunningInstancesCount ${RHEL_HA}`]: ['12:30 1 event', '12:40 0 event'],
      [`${MANAGEMENT} AggregateRunningInstancesCount ${SUSE}`]: ['12:30 1 event', '12:50 0 event'],
    });
    const streams = await sql<{ series_keys: string[] }>`
      select series_keys from reporting.running_instance_streams where contribution is not null`.execute(storage.db);
    expect(streams.rows.flatMap((row) => row.series_keys).some((key) => key.includes('Aggregate'))).toBe(false);
  });

  describe('read through the CloudWatch API and Prometheus', () => {
    beforeAll(async () => {
      await reset();
      clock.set(at('10:00:00'));
      for (const event of [ORGANIZATION, ...INSTANCES]) await apply(event);
      clock.set(at('13:10:00'));
      await sweep.sweep();
    });

    const statistics = (accountId: string, metricName: string, dimensions: object[]) =>
      queries
        .getMetricStatistics(callerOf(accountId), {
          Namespace: 'AWSLicenseManager/licenseUsage',
          MetricName: metricName,
          Dimensions: dimensions as never,
          StartTime: at('10:00:00').getTime() / 1000,
          EndTime: at('14:00:00').getTime() / 1000,
          Period: 3600,
          Statistics: ['Minimum', 'Maximum'],
        })
        .then((output) =>
          output.Datapoints!.map((d) => [
            new Date(d.Timestamp! * 1000).toISOString().slice(11, 16),
            d.Minimum,
            d.Maximum,
            d.Unit,
          ]),
        );

    it("answers GetMetricStatistics on the caller's own series only", async () => {
      const rhel = [{ Name: 'SubscriptionName', Value: RHEL }];
      expect(await statistics(MEMBER, 'RunningInstancesCount', rhel)).toEqual([
        ['10:00', 1, 2, 'Count'],
        ['11:00', 1, 2, 'Count'],
        ['12:00', 0, 1, 'Count'],
        ['13:00', 0, 0, 'Count'],
      ]);
      expect(
        await statistics(MEMBER, 'RunningInstancesCount', [...rhel, { Name: 'Region', Value: 'us-east-1' }]),
      ).toEqual([
        ['10:00', 1, 1, 'Count'],
        ['11:00', 1, 1, 'Count'],
        ['12:00', 0, 1, 'Count'],
        ['13:00', 0, 0, 'Count'],
      ]);
      expect(await statistics(MANAGEMENT, 'AggregateRunningInstancesCount', rhel)).toEqual([
        ['10:00', 1, 2, 'Count'],
        ['11:00', 1, 2, 'Count'],
        ['12:00', 0, 1, 'Count'],
        ['13:00', 0, 0, 'Count'],
      ]);
      expect(await statistics(MEMBER, 'AggregateRunningInstancesCount', rhel)).toEqual([]);
      expect(await statistics(STRANGER, 'RunningInstancesCount', rhel)).toEqual([]);
    });

    it('lists the metrics of each account', async () => {
      const listed = async (accountId: string) =>
        (await queries.listMetrics(callerOf(accountId), { Namespace: 'AWSLicenseManager/licenseUsage' })).Metrics!.map(
          (metric) => [metric.MetricName, ...metric.Dimensions!.map((d) => `${d.Name}=${d.Value}`)].join(' '),
        );
      expect(await listed(MANAGEMENT)).toEqual([
        `AggregateRunningInstancesCount SubscriptionName=${RHEL}`,
        `AggregateRunningInstancesCount SubscriptionName=${RHEL_HA}`,
        `AggregateRunningInstancesCount SubscriptionName=${SUSE}`,
        `RunningInstancesCount SubscriptionName=${SUSE} Region=us-east-1`,
        `RunningInstancesCount SubscriptionName=${SUSE}`,
      ]);
      expect(await listed(MEMBER)).toEqual([
        `RunningInstancesCount SubscriptionName=${RHEL} Region=eu-west-1`,
        `RunningInstancesCount SubscriptionName=${RHEL_HA} Region=eu-west-1`,
        `RunningInstancesCount SubscriptionName=${RHEL} Region=us-east-1`,
        `RunningInstancesCount SubscriptionName=${RHEL}`,
        `RunningInstancesCount SubscriptionName=${RHEL_HA}`,
      ]);
      expect(await listed(STRANGER)).toEqual([]);
    });

    it('shows the counts as Prometheus gauges', async () => {
      const registry = new Registry();
      new StreamCountGauges(registry, storage.db).onModuleInit();
      const text = await registry.metrics();
      expect(text).toContain(
        `lm_running_instances_count{account_id="${MEMBER}",subscription_name="${RHEL_HA}",region="eu-west-1"} 1`,
      );
      expect(text).toContain(
        `lm_running_instances_count{account_id="${MEMBER}",subscription_name="${RHEL}",region="us-east-1"} 0`,
      );
      expect(text).toContain(
        `lm_aggregate_running_instances_count{account_id="${MANAGEMENT}",subscription_name="${SUSE}"} 1`,
      );
      // The series by subscription alone are not repeated beside the per-Region ones.
      expect(text).not.toMatch(/lm_running_instances_count\{account_id="\d+",subscription_name="[^"]+"\}/);
    });
  });
});
