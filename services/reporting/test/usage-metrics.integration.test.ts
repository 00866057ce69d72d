import { inPipelinedTransaction } from '@lm/event-store';
import type { Caller, DomainEventMessage } from '@lm/contracts';
import { ManualClock, openServiceStorageOf, type ServiceStorage } from '@lm/service-kit';
import { sql } from 'kysely';
import { Registry } from 'prom-client';
import { Logger } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PendingEventsGauge } from '../src/usage-metrics/application/pending-events.gauge';
import { UsageGauges } from '../src/usage-metrics/application/usage-gauges';
import { UsageMetricsConsumer } from '../src/usage-metrics/application/usage-metrics.consumer';
import { UsageMetricsQueries } from '../src/usage-metrics/application/usage-metrics.queries';
import { PENDING_WARN_AFTER_MS, UsageMetricsSweep } from '../src/usage-metrics/application/usage-metrics.sweep';
import { ReportingService } from '../src/reporting.service';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

const OWNER = '111111111111';
const ARN = `arn:aws:license-manager:us-east-1:${OWNER}:license-configuration:lic-${'cd'.repeat(16)}`;
const STREAM = `license-configuration-lic-${'cd'.repeat(16)}`;
const DIMENSIONS = [
  { Name: 'LicenseConfigurationArn', Value: ARN },
  { Name: 'LicenseConfigurationType', Value: 'Core' },
];
const DAY = 86_400_000;
const at = (time: string) => new Date(`2026-03-01T${time}Z`);

const callerOf = (accountId: string): Caller => ({
  accountId,
  principalArn: `arn:aws:iam::${accountId}:root`,
  accessKeyId: `AKIA${accountId}`,
  region: 'us-east-1',
});

let version = 0;
/** A licensing event as the relay publishes it. */
const licensingEvent = (type: string, recordedAt: Date, data: Record<string, unknown>): DomainEventMessage => ({
  service: 'licensing',
  eventId: `event-${++version}`,
  streamName: STREAM,
  streamVersion: version,
  type,
  schemaVersion: 1,
  data,
  recordedAt: recordedAt.toISOString(),
});

/** Created 10:30 with 16 licences; i-1 takes 4 at 10:45; i-2 takes 8 at 13:30; i-1 leaves at 15:15. */
const SCENARIO = [
  licensingEvent('LicenseConfigurationCreated', at('10:30:00'), {
    arn: ARN,
    ownerAccountId: OWNER,
    countingType: 'Core',
    licenseCount: 16,
  }),
  licensingEvent('ResourceAssociated', at('10:45:00'), {
    resourceArn: 'i-1',
    consumptionKey: 'i-1',
    consumedLicenses: 4,
  }),
  licensingEvent('LicenseConfigurationTagged', at('11:10:00'), { tags: { team: 'a' } }),
  licensingEvent('ResourceAssociated', at('13:30:00'), {
    resourceArn: 'i-2',
    consumptionKey: 'i-2',
    consumedLicenses: 8,
  }),
  licensingEvent('ResourceDisassociated', at('15:15:00'), { resourceArn: 'i-1' }),
];

describe('usage metrics from licensing events, with a manual clock', () => {
  let database: TestDatabase;
  let storage: ServiceStorage;
  const clock = new ManualClock(at('10:00:00'));
  const consumer = new UsageMetricsConsumer(clock);
  let sweep: UsageMetricsSweep;
  let queries: UsageMetricsQueries;

  const apply = (event: DomainEventMessage) =>
    inPipelinedTransaction(storage.db, (trx, pipeline) => consumer.handleBatch([event], trx, pipeline));
  const points = async () =>
    (
      await sql<Record<string, unknown>>`
        select metric_name, timestamp, resolution, sample_count, sum, minimum, maximum, source
        from reporting.metric_points order by timestamp, metric_name, source`.execute(storage.db)
    ).rows;
  const reset = () =>
    sql`truncate reporting.metric_points, reporting.usage_configurations, reporting.usage_configuration_associations`.execute(
      storage.db,
    );
  const hourly = (metric: string, start: Date, end: Date, caller = callerOf(OWNER)) =>
    queries.getMetricStatistics(caller, {
      Namespace: 'AWSLicenseManager/licenseUsage',
      MetricName: metric,
      Dimensions: DIMENSIONS,
      StartTime: start.getTime() / 1000,
      EndTime: end.getTime() / 1000,
      Period: 3600,
      Statistics: ['Minimum', 'Maximum', 'SampleCount', 'Sum'],
    });

  beforeAll(async () => {
    database = await createTestDatabase('lm_usage_metrics');
    storage = await openServiceStorageOf(ReportingService, { DATABASE_URL: database.url });
    sweep = new UsageMetricsSweep(storage.db, clock);
    queries = new UsageMetricsQueries(storage.db, clock);
  });
  afterAll(async () => {
    await storage?.close();
    await database?.drop();
  });

  it('writes a point at every change and one at every whole hour, sweeps between events included', async () => {
    await reset();
    for (const event of SCENARIO.slice(0, 3)) await apply(event);
    clock.set(at('12:20:00'));
    await sweep.sweep();
    for (const event of SCENARIO.slice(3)) await apply(event);
    clock.set(at('16:05:00'));
    await sweep.sweep();
    const used = await hourly('LicenseConfigurationUsageCount', at('10:00:00'), at('17:00:00'));
    // Per hour: [10:00) created 0, 4 at 10:45; [11:00) hourly 4; [12:00) hourly 4; [13:00) hourly 4, 12 at 13:30;
    // [14:00) hourly 12; [15:00) hourly 12, 8 at 15:15; [16:00) hourly 8.
    expect(
      used.Datapoints?.map((d) => [
        new Date(d.Timestamp! * 1000).toISOString().slice(11, 16),
        d.SampleCount,
        d.Minimum,
        d.Maximum,
      ]),
    ).toEqual([
      ['10:00', 2, 0, 4],
      ['11:00', 1, 4, 4],
      ['12:00', 1, 4, 4],
      ['13:00', 2, 4, 12],
      ['14:00', 1, 12, 12],
      ['15:00', 2, 8, 12],
      ['16:00', 1, 8, 8],
    ]);
    const share = await hourly('LicenseConfigurationUsagePercentage', at('15:00:00'), at('16:00:00'));
    expect(share.Datapoints?.map((d) => [d.Minimum, d.Maximum])).toEqual([[50, 75]]);
    expect(
      (await hourly('LicenseConfigurationUsageCount', at('10:00:00'), at('17:00:00'), callerOf('222222222222')))
        .Datapoints,
    ).toEqual([]);
  });

  let original: Record<string, unknown>[];

  it('rebuilds exactly the same points when the events are replayed, however the sweeps fell', async () => {
    original = await points();
    expect(original.length).toBeGreaterThan(0);
    await reset();
    clock.set(at('10:00:00'));
    for (const event of SCENARIO) await apply(event);
    clock.set(at('16:05:00'));
    await sweep.sweep();
    expect(await points()).toEqual(original);
    // A redelivered event adds nothing (the chassis' ledger aside, its samples are keyed by event).
    await apply({ ...SCENARIO[1] });
    expect(await points()).toEqual(original);
  });

  it('applies an event redelivered after later ones of its stream in stream order', async () => {
    await reset();
    clock.set(at('10:00:00'));
    // A crash before the 13:30 event's ack: JetStream delivers the 15:15 one first.
    for (const event of [SCENARIO[0], SCENARIO[1], SCENARIO[2], SCENARIO[4], SCENARIO[3]]) await apply(event);
    clock.set(at('16:05:00'));
    await sweep.sweep();
    expect(await points()).toEqual(original);
    expect((await sql`select * from reporting.usage_pending_events`.execute(storage.db)).rows).toEqual([]);
  });

  it('counts the events waiting for an earlier one, and warns of one that waited past ten ack waits', async () => {
    const registry = new Registry();
    new PendingEventsGauge(registry, storage.db).onModuleInit();
    const waiting = async () => (await registry.getSingleMetric('lm_reporting_pending_events')!.get()).values[0].value;
    const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const gap = 'license-configuration-with-a-gap';
    const ofGap = (event: DomainEventMessage, streamVersion: number) => ({ ...event, streamName: gap, streamVersion });
    try {
      clock.set(at('10:00:00'));
      await apply(ofGap(SCENARIO[0], 1));
      // Version 2 never came: 3 and 4 wait for it.
      await apply(ofGap(SCENARIO[2], 3));
      await apply(ofGap(SCENARIO[3], 4));
      expect(await waiting()).toBe(2);
      const warned = () => warn.mock.calls.map(([message]) => String(message)).filter((m) => m.includes(gap));

      clock.advance(PENDING_WARN_AFTER_MS);
      await sweep.sweep();
      expect(warned()).toEqual([]);
      clock.advance(1);
      await sweep.sweep();
      expect(warned()).toEqual([
        expect.stringContaining(`${gap} version 3 has waited since 2026-03-01T10:00:00.000Z for version 2`),
        expect.stringContaining(`${gap} version 4 has waited since 2026-03-01T10:00:00.000Z for version 3`),
      ]);

      await apply(ofGap(SCENARIO[1], 2));
      expect(await waiting()).toBe(0);
    } finally {
      warn.mockRestore();
    }
  });

  it('corrects the hourly points a sweep wrote before a late event arrived', async () => {
    await reset();
    clock.set(at('10:00:00'));
    for (const event of SCENARIO.slice(0, 3)) await apply(event);
    // The consumer is behind: the sweep samples 11:00 to 14:00 before the 13:30 event is applied.
    clock.set(at('14:10:00'));
    await sweep.sweep();
    for (const event of SCENARIO.slice(3)) await apply(event);
    clock.set(at('16:05:00'));
    await sweep.sweep();
    expect(await points()).toEqual(original);
  });

  it('shows the gauges on the Prometheus registry, labelled with the dimensions', async () => {
    const registry = new Registry();
    new UsageGauges(registry, storage.db, clock).onModuleInit();
    const text = await registry.metrics();
    const labels = `account_id="${OWNER}",license_configuration_arn="${ARN}",license_configuration_type="Core"`;
    expect(text).toContain(`lm_license_configuration_usage_count{${labels}} 8`);
    expect(text).toContain(`lm_license_configuration_total_usage_count{${labels}} 16`);
    expect(text).toContain(`lm_license_configuration_usage_percentage{${labels}} 50`);
  });

  it('pages GetMetricData by MaxDatapoints, newest first, and lists metrics by filter', async () => {
    const caller = callerOf(OWNER);
    const page = (NextToken?: string) =>
      queries.getMetricData(caller, {
        StartTime: at('10:00:00').getTime() / 1000,
        EndTime: at('17:00:00').getTime() / 1000,
        MaxDatapoints: 3,
        NextToken,
        MetricDataQueries: [
          {
            Id: 'peak',
            MetricStat: {
              Metric: {
                Namespace: 'AWSLicenseManager/licenseUsage',
                MetricName: 'LicenseConfigurationUsageCount',
                Dimensions: DIMENSIONS,
              },
              Period: 3600,
              Stat: 'Maximum',
            },
          },
        ],
      });
    const values: number[] = [];
    const statuses: string[] = [];
    let token: string | undefined;
    do {
      const out = await page(token);
      values.push(...out.MetricDataResults![0].Values!);
      statuses.push(out.MetricDataResults![0].StatusCode!);
      token = out.NextToken;
    } while (token);
    expect(values).toEqual([8, 12, 12, 12, 4, 4, 4]);
    expect(statuses).toEqual(['PartialData', 'PartialData', 'Complete']);
    await expect(page('not-a-token')).rejects.toMatchObject({ code: 'InvalidNextToken' });
    const listed = await queries.listMetrics(caller, {
      Namespace: 'AWSLicenseManager/licenseUsage',
      Dimensions: [{ Name: 'LicenseConfigurationArn' }],
    });
    expect(listed.Metrics?.map((m) => m.MetricName)).toEqual([
      'LicenseConfigurationUsageCount',
      'LicenseConfigurationUsagePercentage',
      'TotalLicenseConfigurationUsageCount',
    ]);
    expect(
      (await queries.listMetrics(caller, { Dimensions: [{ Name: 'LicenseConfigurationType', Value: 'vCPU' }] }))
        .Metrics,
    ).toEqual([]);
    // Another account's data is not reachable by naming it.
    expect((await queries.listMetrics(caller, { OwningAccount: '222222222222' })).Metrics).toEqual([]);
    const elsewhere = await queries.getMetricData(caller, {
      StartTime: at('10:00:00').getTime() / 1000,
      EndTime: at('17:00:00').getTime() / 1000,
      MetricDataQueries: [
        {
          Id: 'theirs',
          AccountId: '222222222222',
          MetricStat: {
            Metric: {
              Namespace: 'AWSLicenseManager/licenseUsage',
              MetricName: 'LicenseConfigurationUsageCount',
              Dimensions: DIMENSIONS,
            },
            Period: 3600,
            Stat: 'Maximum',
          },
        },
      ],
    });
    expect(elsewhere.MetricDataResults?.[0].Values).toEqual([]);
    await expect(queries.listMetrics(caller, { NextToken: 'x' })).rejects.toMatchObject({
      code: 'InvalidParameterValueException',
    });
  });

  it('rolls old points up as CloudWatch keeps them, with the same statistics, and deletes them after 15 months', async () => {
    await apply(licensingEvent('LicenseConfigurationDeleted', at('16:30:00'), { ownerAccountId: OWNER }));
    const day = () => hourly('LicenseConfigurationUsageCount', at('10:00:00'), at('17:00:00'));
    const before = await day();
    const resolutions = async () =>
      (
        await sql<{ resolution: number }>`select distinct resolution from reporting.metric_points order by 1`.execute(
          storage.db,
        )
      ).rows.map((row) => row.resolution);
    clock.set(new Date(at('16:30:00').getTime() + 16 * DAY));
    await sweep.sweep();
    expect(await resolutions()).toEqual([300]);
    expect(await day()).toEqual(before);
    clock.set(new Date(at('16:30:00').getTime() + 64 * DAY));
    await sweep.sweep();
    expect(await resolutions()).toEqual([3600]);
    expect((await day()).Datapoints?.map((d) => [d.SampleCount, d.Minimum, d.Maximum, d.Sum])).toEqual(
      before.Datapoints?.map((d) => [d.SampleCount, d.Minimum, d.Maximum, d.Sum]),
    );
    clock.set(new Date(at('16:30:00').getTime() + 456 * DAY));
    await sweep.sweep();
    expect(await resolutions()).toEqual([]);
  });
});
