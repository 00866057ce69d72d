import { Logger } from '@nestjs/common';
import type { Caller, DomainEventMessage } from '@lm/contracts';
import { ManualClock, openServiceStorageOf, type ServiceStorage } from '@lm/service-kit';
import { inPipelinedTransaction } from '@lm/event-store';
import { sql } from 'kysely';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EntitlementUsageConsumer } from '../src/usage-metrics/application/entitlement-usage.consumer';
import { UsageGauges } from '../src/usage-metrics/application/usage-gauges';
import { UsageMetricsQueries } from '../src/usage-metrics/application/usage-metrics.queries';
import { PENDING_WARN_AFTER_MS, UsageMetricsSweep } from '../src/usage-metrics/application/usage-metrics.sweep';
import { ReportingService } from '../src/reporting.service';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

const SELLER = '111111111111';
const BUYER = '222222222222';
const MEMBER = '333333333333';
const STRANGER = '444444444444';
const LICENSE_ID = `l-${'ef'.repeat(16)}`;
const LICENSE_ARN = `arn:aws:license-manager::${SELLER}:license:${LICENSE_ID}`;
const DIMENSIONS = [
  { Name: 'LicenseArn', Value: LICENSE_ARN },
  { Name: 'EntitlementName', Value: 'Users' },
];
const at = (time: string) => new Date(`2026-03-01T${time}Z`);

/** The buyer manages an organization the member belongs to (the gateway gives it memberAccountIds). */
const callerOf = (accountId: string): Caller => ({
  accountId,
  principalArn: `arn:aws:iam::${accountId}:root`,
  accessKeyId: `AKIA${accountId}`,
  region: 'us-east-1',
  ...(accountId === BUYER || accountId === MEMBER
    ? {
        organization: {
          id: 'o-abcd1234',
          managementAccountId: BUYER,
          rootId: 'r-ab12',
          organizationalUnitPath: ['r-ab12'],
          ...(accountId === BUYER ? { memberAccountIds: [BUYER, MEMBER] } : {}),
        },
      }
    : {}),
});

const versions = new Map<string, number>();
let eventIds = 0;
/** A grants event as the relay publishes it, the next of its stream. */
const grantsEvent = (stream: 'licence' | 'usage', type: string, time: string, data: object): DomainEventMessage => {
  const streamName = stream === 'licence' ? `license-${LICENSE_ID}` : `license-usage-${LICENSE_ID}`;
  versions.set(streamName, (versions.get(streamName) ?? 0) + 1);
  return {
    service: 'grants',
    eventId: `event-${++eventIds}`,
    streamName,
    streamVersion: versions.get(streamName)!,
    type,
    schemaVersion: 1,
    data: data as Record<string, unknown>,
    recordedAt: at(time).toISOString(),
  };
};
const users = (units: number) => [{ name: 'Users', unit: 'Count', units }];
const license = (maxCount: number) => ({
  LicenseArn: LICENSE_ARN,
  Entitlements: [
    { Name: 'Users', Unit: 'Count', MaxCount: maxCount },
    { Name: 'Support', Unit: 'None', Value: 'gold' },
  ],
});

/**
 * The seller's licence (10 Users) is granted to the buyer, who distributes it to its member. The
 * buyer borrows 2 at 10:45 (until 12:45, extended at 12:30 to 14:30, checked in at 13:50); the
 * member checks out 3 for good at 11:20; the licence's version 2 (13:10) raises MaxCount to 20.
 */
const SCENARIO = [
  grantsEvent('licence', 'LicenseCreated', '10:30:00', { license: license(10), issuerAccountId: SELLER }),
  grantsEvent('usage', 'LicenseCheckedOut', '10:45:00', {
    consumptionToken: 't1',
    licenseArn: LICENSE_ARN,
    kind: 'BORROW',
    accountId: BUYER,
    rootBuyerAccountId: BUYER,
    counted: users(2),
    expiration: at('12:45:00').toISOString(),
  }),
  grantsEvent('usage', 'LicenseCheckedOut', '11:20:00', {
    consumptionToken: 't2',
    licenseArn: LICENSE_ARN,
    kind: 'PERPETUAL',
    accountId: MEMBER,
    rootBuyerAccountId: BUYER,
    counted: users(3),
    expiration: at('12:20:00').toISOString(),
  }),
  grantsEvent('usage', 'LicenseConsumptionExtended', '12:30:00', {
    consumptionToken: 't1',
    licenseArn: LICENSE_ARN,
    expiration: at('14:30:00').toISOString(),
  }),
  grantsEvent('licence', 'LicenseTagged', '12:40:00', { licenseArn: LICENSE_ARN, tags: [] }),
  grantsEvent('licence', 'LicenseVersionCreated', '13:10:00', {
    licenseArn: LICENSE_ARN,
    resetUsage: false,
    license: license(20),
  }),
  grantsEvent('usage', 'LicenseCheckedIn', '13:50:00', { consumptionToken: 't1', licenseArn: LICENSE_ARN }),
];

describe('entitlement usage metrics from grants events, with a manual clock', () => {
  let database: TestDatabase;
  let storage: ServiceStorage;
  const clock = new ManualClock(at('10:00:00'));
  const consumer = new EntitlementUsageConsumer(clock);
  let sweep: UsageMetricsSweep;
  let queries: UsageMetricsQueries;

  const apply = (event: DomainEventMessage) =>
    inPipelinedTransaction(storage.db, (trx, pipeline) => consumer.handleBatch([event], trx, pipeline));
  const points = async () =>
    (
      await sql<Record<string, unknown>>`
        select account_id, metric_name, dimensions_key, unit, timestamp, resolution, sample_count, sum, source
        from reporting.metric_points order by timestamp, account_id, metric_name, source`.execute(storage.db)
    ).rows;
  const reset = () =>
    sql`truncate reporting.metric_points, reporting.entitlement_usage_licences, reporting.usage_pending_events`.execute(
      storage.db,
    );
  const hourly = async (accountId: string, metric = 'LicenseEntitlementUsageCount') =>
    (
      await queries.getMetricStatistics(callerOf(accountId), {
        Namespace: 'AWSLicenseManager/licenseUsage',
        MetricName: metric,
        Dimensions: DIMENSIONS,
        StartTime: at('10:00:00').getTime() / 1000,
        EndTime: at('17:00:00').getTime() / 1000,
        Period: 3600,
        Statistics: ['Minimum', 'Maximum', 'SampleCount'],
      })
    ).Datapoints?.map((d) => [
      new Date(d.Timestamp! * 1000).toISOString().slice(11, 16),
      d.SampleCount,
      d.Minimum,
      d.Maximum,
      d.Unit,
    ]);
  const runScenario = async (order: DomainEventMessage[], sweepAt?: string) => {
    await reset();
    clock.set(at('10:00:00'));
    for (const event of order) {
      if (sweepAt && event.recordedAt > at(sweepAt).toISOString() && clock.now() < at(sweepAt)) {
        clock.set(at(sweepAt));
        await sweep.sweep();
      }
      await apply(event);
    }
    clock.set(at('16:05:00'));
    await sweep.sweep();
  };

  beforeAll(async () => {
    database = await createTestDatabase('lm_entitlement_usage');
    storage = await openServiceStorageOf(ReportingService, { DATABASE_URL: database.url });
    sweep = new UsageMetricsSweep(storage.db, clock);
    queries = new UsageMetricsQueries(storage.db, clock);
  });
  afterAll(async () => {
    await storage?.close();
    await database?.drop();
  });

  let original: Record<string, unknown>[];

  it('writes each account its points at every change and every whole hour: the seller and root buyer all, the member its own', async () => {
    await runScenario(SCENARIO, '12:20:00');
    // [10:00) created 0, 2 at 10:45; [11:00) hourly 2, 5 at 11:20; [12:00) hourly 5, extended 5;
    // [13:00) hourly 5, version 5, checked in 3; then hourly 3.
    const all = [
      ['10:00', 2, 0, 2, 'Count'],
      ['11:00', 2, 2, 5, 'Count'],
      ['12:00', 2, 5, 5, 'Count'],
      ['13:00', 3, 3, 5, 'Count'],
      ['14:00', 1, 3, 3, 'Count'],
      ['15:00', 1, 3, 3, 'Count'],
      ['16:00', 1, 3, 3, 'Count'],
    ];
    expect(await hourly(SELLER)).toEqual(all);
    // The buyer sees the licence from its borrow at 10:45 on.
    expect(await hourly(BUYER)).toEqual([['10:00', 1, 2, 2, 'Count'], ...all.slice(1)]);
    // The member sees its own, from its checkout at 11:20 on: the buyer's extension and check-in change
    // nothing it sees and write none of its points; the new version does.
    expect(await hourly(MEMBER)).toEqual([
      ['11:00', 1, 3, 3, 'Count'],
      ['12:00', 1, 3, 3, 'Count'],
      ['13:00', 2, 3, 3, 'Count'],
      ['14:00', 1, 3, 3, 'Count'],
      ['15:00', 1, 3, 3, 'Count'],
      ['16:00', 1, 3, 3, 'Count'],
    ]);
    expect(await hourly(STRANGER)).toEqual([]);
    expect((await hourly(SELLER, 'TotalLicenseEntitlementUsageCount'))?.slice(3, 4)).toEqual([
      ['13:00', 3, 10, 20, 'Count'],
    ]);
    expect((await hourly(MEMBER, 'LicenseEntitlementUsagePercentage'))?.at(-1)).toEqual([
      '16:00',
      1,
      15,
      15,
      'Percent',
    ]);
    // An unlimited entitlement (Unit None) is never counted.
    expect(await points()).not.toContainEqual(
      expect.objectContaining({ dimensions_key: expect.stringContaining('Support') }),
    );
    original = await points();
  });

  it('rebuilds exactly the same points when the events are replayed, however the sweeps fell', async () => {
    await runScenario(SCENARIO);
    expect(await points()).toEqual(original);
    await apply({ ...SCENARIO[1] });
    expect(await points()).toEqual(original);
  });

  it('applies each stream in its order, usage waiting for the licence creation, after redeliveries out of order', async () => {
    const [created, borrowed, perpetual, extended, tagged, version, checkedIn] = SCENARIO;
    await runScenario([borrowed, created, perpetual, version, extended, tagged, checkedIn], '12:20:00');
    expect(await points()).toEqual(original);
    expect((await sql`select * from reporting.usage_pending_events`.execute(storage.db)).rows).toEqual([]);
  });

  it('applies the events delivered together in one transaction (the chassis batch) as it applies them one by one', async () => {
    const [created, borrowed, perpetual, extended, tagged, version, checkedIn] = SCENARIO;
    await reset();
    clock.set(at('10:00:00'));
    // Out of order in one batch, and a redelivery of the first.
    const batch = [borrowed, created, perpetual, version, extended, tagged, checkedIn, { ...borrowed }];
    await inPipelinedTransaction(storage.db, (trx, pipeline) => consumer.handleBatch(batch, trx, pipeline));
    clock.set(at('16:05:00'));
    await sweep.sweep();
    expect(await points()).toEqual(original);
    expect((await sql`select * from reporting.usage_pending_events`.execute(storage.db)).rows).toEqual([]);
  });

  it("warns of a usage event that waited past ten ack waits for its licence's creation, naming what it waits for", async () => {
    const [created, borrowed] = SCENARIO;
    await reset();
    clock.set(at('10:00:00'));
    const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      // The usage stream's first event: next of its own stream, but the licence's creation never came.
      await apply(borrowed);
      clock.advance(PENDING_WARN_AFTER_MS + 1);
      await sweep.sweep();
      expect(warn.mock.calls.map(([message]) => String(message))).toEqual([
        expect.stringContaining(
          `license-usage-${LICENSE_ID} version 1 has waited since 2026-03-01T10:00:00.000Z for the creation of its licence (license-${LICENSE_ID})`,
        ),
      ]);
      await apply(created);
      expect((await sql`select * from reporting.usage_pending_events`.execute(storage.db)).rows).toEqual([]);
    } finally {
      warn.mockRestore();
    }
  });

  it('corrects the hourly points a sweep wrote before a late event arrived', async () => {
    await runScenario(SCENARIO.slice(0, -1));
    clock.set(at('14:10:00'));
    await sweep.sweep();
    await apply(SCENARIO.at(-1)!);
    clock.set(at('16:05:00'));
    await sweep.sweep();
    expect(await points()).toEqual(original);
  });

  it('shows the gauges on the Prometheus registry, per account that sees them, labelled with the dimensions', async () => {
    clock.set(at('16:05:00'));
    const registry = new Registry();
    new UsageGauges(registry, storage.db, clock).onModuleInit();
    const text = await registry.metrics();
    const labels = (accountId: string, unit = 'Count') =>
      `account_id="${accountId}",license_arn="${LICENSE_ARN}",unit="${unit}",entitlement_name="Users"`;
    expect(text).toContain(`lm_license_entitlement_usage_count{${labels(SELLER)}} 3`);
    expect(text).toContain(`lm_license_entitlement_usage_count{${labels(MEMBER)}} 3`);
    expect(text).toContain(`lm_license_entitlement_total_usage_count{${labels(BUYER)}} 20`);
    expect(text).toContain(`lm_license_entitlement_usage_percentage{${labels(MEMBER, 'Percent')}} 15`);
    expect(text).not.toContain(STRANGER);
  });

  describe("an organization's management account as CloudWatch's monitoring account", () => {
    const metricData = (accountId: string, queriesOf: object[]) =>
      queries.getMetricData(callerOf(accountId), {
        StartTime: at('16:00:00').getTime() / 1000,
        EndTime: at('17:00:00').getTime() / 1000,
        MetricDataQueries: queriesOf as never,
      });
    const stat = (id: string, accountId?: string) => ({
      Id: id,
      ...(accountId ? { AccountId: accountId } : {}),
      ReturnData: false,
      MetricStat: {
        Metric: {
          Namespace: 'AWSLicenseManager/licenseUsage',
          MetricName: 'LicenseEntitlementUsageCount',
          Dimensions: DIMENSIONS,
        },
        Period: 3600,
        Stat: 'Maximum',
      },
    });
    const values = (output: Awaited<ReturnType<typeof metricData>>) =>
      Object.fromEntries(output.MetricDataResults!.map((result) => [result.Id, result.Values]));

    it('lists its source accounts metrics with IncludeLinkedAccounts, each with its owning account', async () => {
      const listed = await queries.listMetrics(callerOf(BUYER), {
        MetricName: 'LicenseEntitlementUsageCount',
        IncludeLinkedAccounts: true,
      });
      expect(listed.OwningAccounts).toEqual([BUYER, MEMBER]);
      expect(listed.Metrics).toEqual([
        {
          Namespace: 'AWSLicenseManager/licenseUsage',
          MetricName: 'LicenseEntitlementUsageCount',
          Dimensions: DIMENSIONS,
        },
        {
          Namespace: 'AWSLicenseManager/licenseUsage',
          MetricName: 'LicenseEntitlementUsageCount',
          Dimensions: DIMENSIONS,
        },
      ]);
      const own = await queries.listMetrics(callerOf(BUYER), { MetricName: 'LicenseEntitlementUsageCount' });
      expect([own.Metrics?.length, own.OwningAccounts]).toEqual([1, undefined]);
      const one = await queries.listMetrics(callerOf(BUYER), {
        MetricName: 'LicenseEntitlementUsageCount',
        IncludeLinkedAccounts: true,
        OwningAccount: MEMBER,
      });
      expect(one.OwningAccounts).toEqual([MEMBER]);
      // A member is no monitoring account: it sees its own metrics only.
      const member = await queries.listMetrics(callerOf(MEMBER), { IncludeLinkedAccounts: true, OwningAccount: BUYER });
      expect(member).toEqual({ Metrics: [], OwningAccounts: [] });
    });

    it("reads a source account's metric by AccountId and sums the organization with SUM", async () => {
      const output = await metricData(BUYER, [
        stat('mine'),
        stat('member', MEMBER),
        { Id: 'organization', Expression: 'SUM([mine, member])' },
        { Id: 'membersown', Expression: 'member' },
      ]);
      expect(values(output)).toEqual({ organization: [6], membersown: [3] });
      const refused = await metricData(MEMBER, [stat('buyer', BUYER), { Id: 'total', Expression: 'SUM([buyer])' }]);
      expect(values(refused)).toEqual({ total: [] });
      const stranger = await metricData(STRANGER, [{ ...stat('member', MEMBER), ReturnData: true }]);
      expect(values(stranger)).toEqual({ member: [] });
    });
  });
});
