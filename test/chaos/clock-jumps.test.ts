import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CloudWatchClient,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CheckInLicenseCommand,
  CheckoutLicenseCommand,
  CreateLicenseCommand,
  CreateLicenseManagerReportGeneratorCommand,
  ExtendLicenseConsumptionCommand,
  GetLicenseCommand,
  GetLicenseManagerReportGeneratorCommand,
  GetLicenseUsageCommand,
  UpdateServiceSettingsCommand,
  UpdateLicenseSpecificationsForResourceCommand,
  type LicenseManagerClient,
  type RenewType,
} from '@aws-sdk/client-license-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConfiguration, licenseManager } from '../support/clients';
import { withSystemDatabase } from '../support/crash';
import { reportAndAwaitLicensing } from '../support/inventory';
import { grantedLicense, leaseIdOfToken, oneSeatCheckout, type GrantedLicense } from '../support/licenses';
import { accounts, credentialsOf, startSystem, type RunningSystem } from '../support/system';
import { eventually } from './mixed-write-load';
import { movedClock, type MovedClock } from './moved-clock';
import { startPrivatePostgres, type PrivatePostgres } from './private-postgres';

const HOUR = 3_600_000;
/** Every sweep and schedule of the system runs this often here (a minute by default). */
const SWEEP_MS = 500;
/** Long enough for several sweeps and schedules to have run after a jump. */
const SETTLE_MS = 4_000;
/** A checkout's lease (the licences' MaxTimeToLiveInMinutes). */
const LEASE_MS = HOUR;

/** One request of the load, in the test's real time (performance.now). */
interface Attempt {
  sentAt: number;
  answeredAt: number;
  /** The answer: OK, or the error's name. */
  outcome: string;
  /** The checkout's IssuedAt, as the system's clock gave it. */
  issuedAt?: number;
}

describe("the system's clock jumps back and forward by hours while it runs", () => {
  let clock: MovedClock;
  let postgres: PrivatePostgres;
  const sharedServer = process.env.DATABASE_URL;
  let system: RunningSystem;
  let reportsDir: string;
  let issuer: LicenseManagerClient;
  let customer: LicenseManagerClient;
  let cloudWatch: CloudWatchClient;
  let load: Load | undefined;

  beforeAll(async () => {
    clock = movedClock();
    // The database server reads the moved clock too (its now() stamps the events' recordedAt, and
    // with it the usage metrics' data points): the whole host's clock jumps.
    postgres = await startPrivatePostgres(clock.env);
    process.env.DATABASE_URL = postgres.url;
    reportsDir = mkdtempSync(join(tmpdir(), 'lm-chaos-clock-reports-'));
    // Every process reads the moved clock: they all run on one host, whose clock jumps. Two grants
    // replicas sweep at once: what a jump makes due must be recorded once all the same.
    system = await startSystem(
      {
        ...clock.env,
        LM_CONSUMPTION_SWEEP_MS: String(SWEEP_MS),
        LM_LICENSE_EXPIRY_SWEEP_MS: String(SWEEP_MS),
        LM_REPORT_SWEEP_MS: String(SWEEP_MS),
        LM_ALARM_EVALUATION_MS: String(SWEEP_MS),
        LM_CONSUMPTION_LICENSE_CACHE_MS: '200',
        LM_REPORTS_DIR: reportsDir,
      },
      { replicas: { grants: 2 } },
    );
    issuer = clock.follow(licenseManager(system, accounts.management));
    customer = clock.follow(licenseManager(system, accounts.member));
    cloudWatch = clock.follow(
      new CloudWatchClient({
        endpoint: system.endpoint,
        region: system.region,
        credentials: credentialsOf(accounts.management),
        maxAttempts: 1,
      }),
    );
  });
  afterAll(async () => {
    await load?.stop();
    await system?.stop();
    process.env.DATABASE_URL = sharedServer;
    await postgres?.dispose();
    clock?.dispose();
    if (reportsDir) rmSync(reportsDir, { recursive: true, force: true });
  });

  /** Moves the system's clock, and the clients' with it (they follow it). */
  const jumpTo = (offsetMs: number) => {
    clock.jumpTo(offsetMs);
    load!.jumps.push({ at: performance.now(), offsetMs });
  };

  /** Events of a type in a service's event store whose data names `subject` (an ARN, a lease id). */
  const eventsNaming = (schema: 'grants' | 'reporting', type: string, subject: string) =>
    withSystemDatabase(system, async (db) => {
      const { rows } = await db.query(
        `select count(*)::int as n from ${schema}.events where type = $1 and strpos(data::text, $2) > 0`,
        [type, subject],
      );
      return rows[0].n as number;
    });

  const checkout = (license: GrantedLicense) => customer.send(new CheckoutLicenseCommand(oneSeatCheckout(license)));
  const seatsTaken = async (license: GrantedLicense) =>
    (
      await issuer.send(new GetLicenseUsageCommand({ LicenseArn: license.licenseArn }))
    ).LicenseUsage!.EntitlementUsages!.find((usage) => usage.Name === 'Seats')!.ConsumedValue;
  const refusal = (request: Promise<unknown>) =>
    request.then(
      () => 'OK',
      (error: Error) => error.name,
    );

  /** A licence of the management account, its term ending `endsInMs` from now (the system's clock). */
  const licenceEnding = async (endsInMs: number, RenewType: RenewType) => {
    const now = Date.now() + clock.offsetMs();
    const { LicenseArn } = await issuer.send(
      new CreateLicenseCommand({
        LicenseName: `Term ${RenewType}`,
        ProductName: 'Product',
        ProductSKU: `term-${RenewType}`,
        Issuer: { Name: 'Example ISV' },
        HomeRegion: system.region,
        Validity: { Begin: new Date(now - 86_400_000).toISOString(), End: new Date(now + endsInMs).toISOString() },
        Entitlements: [{ Name: 'Seats', Unit: 'Count', MaxCount: 1 }],
        Beneficiary: 'customer@example.com',
        ConsumptionConfiguration: { RenewType, ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } },
        ClientToken: randomUUID(),
      }),
    );
    return LicenseArn!;
  };
  const licence = async (arn: string) => (await issuer.send(new GetLicenseCommand({ LicenseArn: arn }))).License!;

  const alarmHistory = async (name: string) =>
    (
      await cloudWatch.send(new DescribeAlarmHistoryCommand({ AlarmName: name, HistoryItemType: 'StateUpdate' }))
    ).AlarmHistoryItems!.map((item) => item.HistorySummary);
  const alarmState = async (name: string) =>
    (await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms![0].StateValue;

  it('keeps leases, licence terms, alarms and report schedules right, and serves the requests across each jump', async () => {
    const leaseLicence = await grantedLicense(system, seatLicence('leased', 1));
    const loadLicence = await grantedLicense(system, seatLicence('load', 1_000_000));
    const term = await licenceEnding(2 * HOUR, 'None');
    const subscription = await licenceEnding(2 * HOUR, 'Weekly');
    const subscriptionEnd = new Date((await licence(subscription)).Validity!.End!).getTime();

    // A report generator once a day, writing to the account's bucket (LM_REPORTS_DIR): it runs at once when created.
    await issuer.send(
      new UpdateServiceSettingsCommand({ S3BucketArn: 'arn:aws:s3:::aws-license-manager-service-reports-chaos' }),
    );
    const configuration = await createConfiguration(issuer, {
      Name: 'Reported',
      LicenseCountingType: 'vCPU',
    });
    const { LicenseManagerReportGeneratorArn: generator } = await issuer.send(
      new CreateLicenseManagerReportGeneratorCommand({
        ReportGeneratorName: 'daily',
        Type: ['LicenseConfigurationSummaryReport'],
        ReportContext: { licenseConfigurationArns: [configuration] },
        ReportFrequency: { value: 1, period: 'DAY' },
        ClientToken: randomUUID(),
      }),
    );
    const reportRuns = () => eventsNaming('reporting', 'ReportRunStarted', generator!);
    await eventually(async () => {
      const { ReportGenerator } = await issuer.send(
        new GetLicenseManagerReportGeneratorCommand({ LicenseManagerReportGeneratorArn: generator }),
      );
      expect(ReportGenerator!.LastRunStatus).toBe('SUCCESS');
    });
    // An alarm on a metric without data, which counts as breaching: it goes to ALARM once.
    await cloudWatch.send(
      new PutMetricAlarmCommand({
        AlarmName: 'breaching',
        Namespace: 'Chaos/Clock',
        MetricName: 'Silent',
        Statistic: 'Maximum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'breaching',
      }),
    );
    await eventually(async () => expect(await alarmState('breaching')).toBe('ALARM'));
    // And an alarm on a configuration's usage, its data points stamped as its events are: ALARM at
    // 80% or more (the lowest of a minute's points, so that hourly points written with a later
    // event never outweigh that event's own), no data leaving the state as it is.
    const alarmed = await createConfiguration(issuer, {
      Name: 'Alarmed',
      LicenseCountingType: 'vCPU',
      LicenseCount: 8,
    });
    const [instance] = await reportAndAwaitLicensing(system, [
      {
        accountId: accounts.management.accountId,
        resourceId: 'i-0c1c2c3c4c5c6c7c8',
        resourceType: 'EC2_INSTANCE',
        state: 'running',
        vCpuCount: 8,
        coreCount: 4,
        threadsPerCore: 2,
        tenancy: 'default',
      },
    ]);
    await cloudWatch.send(
      new PutMetricAlarmCommand({
        AlarmName: 'usage-high',
        Namespace: 'AWSLicenseManager/licenseUsage',
        MetricName: 'LicenseConfigurationUsagePercentage',
        Dimensions: [
          { Name: 'LicenseConfigurationArn', Value: alarmed },
          { Name: 'LicenseConfigurationType', Value: 'vCPU' },
        ],
        Statistic: 'Minimum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 80,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'ignore',
      }),
    );
    const associate = (add: boolean) =>
      issuer.send(
        new UpdateLicenseSpecificationsForResourceCommand({
          ResourceArn: instance,
          [add ? 'AddLicenseSpecifications' : 'RemoveLicenseSpecifications']: [{ LicenseConfigurationArn: alarmed }],
        }),
      );

    const first = await checkout(leaseLicence);
    const firstLeaseEnds = new Date(first.Expiration!).getTime();
    const firstLease = leaseIdOfToken(first.LicenseConsumptionToken!);

    // Live traffic across every jump: checkouts of a licence of a million seats, two at a time.
    load = startLoad(system, clock, loadLicence);

    // Three hours back.
    await sleep(1_000);
    jumpTo(-3 * HOUR);
    await sleep(SETTLE_MS);
    // The lease is still held, its seat taken, and no sweep ended it.
    expect(await seatsTaken(leaseLicence)).toBe('1');
    expect(await refusal(checkout(leaseLicence))).toBe('NoEntitlementsAllowedException');
    // An extension while the clock is behind never ends the lease sooner than it was to end.
    const extended = await customer.send(
      new ExtendLicenseConsumptionCommand({ LicenseConsumptionToken: first.LicenseConsumptionToken }),
    );
    expect(new Date(extended.Expiration!).getTime()).toBeGreaterThanOrEqual(firstLeaseEnds);
    expect(await eventsNaming('grants', 'LicenseConsumptionExpired', firstLease)).toBe(0);
    // The terms run on, the report is not run again, the alarm does not change.
    expect((await licence(term)).Status).toBe('AVAILABLE');
    expect((await licence(subscription)).Status).toBe('AVAILABLE');
    expect(await eventsNaming('grants', 'LicenseRenewed', subscription)).toBe(0);
    expect(await reportRuns()).toBe(1);
    expect(await alarmHistory('breaching')).toHaveLength(1);
    // Usage at 100% while the clock is behind: the alarm sees it in the period the clock is in.
    await associate(true);
    await eventually(async () => expect(await alarmState('usage-high')).toBe('ALARM'));
    const changesAtAlarm = (await alarmHistory('usage-high')).length;

    // Three hours ahead: the lease ran out (an hour after it began), its seat is free, its end on record once.
    jumpTo(3 * HOUR);
    expect(await seatsTaken(leaseLicence)).toBe('0');
    await eventually(async () => expect(await eventsNaming('grants', 'LicenseConsumptionExpired', firstLease)).toBe(1));
    expect(
      await refusal(
        customer.send(new ExtendLicenseConsumptionCommand({ LicenseConsumptionToken: first.LicenseConsumptionToken })),
      ),
    ).not.toBe('OK');
    const second = await checkout(leaseLicence);
    expect(new Date(second.Expiration!).getTime()).toBeGreaterThan(Date.now() + 3 * HOUR + LEASE_MS - 60_000);
    // The term ended two hours after it began: expired once; the subscription renewed once, by a week.
    await eventually(async () => expect((await licence(term)).Status).toBe('EXPIRED'));
    await eventually(async () => expect(await eventsNaming('grants', 'LicenseRenewed', subscription)).toBe(1));
    expect(new Date((await licence(subscription)).Validity!.End!).getTime()).toBe(subscriptionEnd + 7 * 24 * HOUR);
    expect((await licence(subscription)).Status).toBe('AVAILABLE');
    await sleep(SETTLE_MS);
    expect(await eventsNaming('grants', 'LicenseExpired', term)).toBe(1);
    expect(await eventsNaming('grants', 'LicenseRenewed', subscription)).toBe(1);
    // The daily report is not due yet; the alarm stays as it was.
    expect(await reportRuns()).toBe(1);
    expect(await alarmHistory('breaching')).toHaveLength(1);
    // Usage back to 0% three hours ahead: OK, once.
    await associate(false);
    await eventually(async () => expect(await alarmState('usage-high')).toBe('OK'));
    expect(await alarmHistory('usage-high')).toHaveLength(changesAtAlarm + 1);

    // A day and an hour ahead: the daily report catches up, once.
    jumpTo(25 * HOUR);
    await eventually(async () => expect(await reportRuns()).toBe(2));
    await sleep(SETTLE_MS);
    expect(await reportRuns()).toBe(2);
    const secondLease = leaseIdOfToken(second.LicenseConsumptionToken!);
    await eventually(async () =>
      expect(await eventsNaming('grants', 'LicenseConsumptionExpired', secondLease)).toBe(1),
    );
    expect(await eventsNaming('grants', 'LicenseConsumptionExpired', firstLease)).toBe(1);
    expect(await eventsNaming('grants', 'LicenseExpired', term)).toBe(1);
    expect(await eventsNaming('grants', 'LicenseRenewed', subscription)).toBe(1);
    expect(await alarmHistory('breaching')).toHaveLength(1);
    expect(await alarmHistory('usage-high')).toHaveLength(changesAtAlarm + 1);

    // And back to the real time: what ended stays ended, nothing runs or renews again.
    jumpTo(0);
    await sleep(SETTLE_MS);
    expect(await seatsTaken(leaseLicence)).toBe('0');
    for (const ended of [first, second]) {
      expect(
        await refusal(
          customer.send(new CheckInLicenseCommand({ LicenseConsumptionToken: ended.LicenseConsumptionToken })),
        ),
      ).toBe('ConflictException');
    }
    const third = await checkout(leaseLicence);
    expect(await seatsTaken(leaseLicence)).toBe('1');
    await customer.send(new CheckInLicenseCommand({ LicenseConsumptionToken: third.LicenseConsumptionToken }));
    expect((await licence(term)).Status).toBe('EXPIRED');
    expect(await eventsNaming('grants', 'LicenseExpired', term)).toBe(1);
    expect(await eventsNaming('grants', 'LicenseRenewed', subscription)).toBe(1);
    expect(await reportRuns()).toBe(2);
    expect(await alarmHistory('breaching')).toHaveLength(1);
    expect(await alarmState('breaching')).toBe('ALARM');
    expect(await alarmHistory('usage-high')).toHaveLength(changesAtAlarm + 1);
    expect(await alarmState('usage-high')).toBe('OK');

    await sleep(1_000);
    const attempts = await load.stop();
    expectLoadServedAcrossJumps(attempts, load.jumps);
    load = undefined;
  });
});

/** A licence of `seats` seats, issued by the management account and granted to the member account. */
const seatLicence = (sku: string, seats: number) => ({
  issuer: accounts.management,
  grantee: accounts.member,
  productSku: `clock-${sku}`,
  entitlements: [{ Name: 'Seats', Unit: 'Count' as const, MaxCount: seats, AllowCheckIn: true }],
  allowedOperations: ['CheckoutLicense' as const, 'CheckInLicense' as const, 'ExtendConsumptionLicense' as const],
  consumptionConfiguration: {
    RenewType: 'None' as const,
    ProvisionalConfiguration: { MaxTimeToLiveInMinutes: LEASE_MS / 60_000 },
  },
});

interface Load {
  jumps: { at: number; offsetMs: number }[];
  /** Ends the load once its requests in flight are answered, with every attempt. */
  stop(): Promise<Attempt[]>;
}

/** Two clients checking out a seat each, again and again, each request once. */
function startLoad(system: RunningSystem, clock: MovedClock, license: GrantedLicense): Load {
  const clients = [1, 2].map(() => clock.follow(licenseManager(system, accounts.member)));
  const attempts: Attempt[] = [];
  let running = true;
  const worker = async (client: LicenseManagerClient) => {
    while (running) {
      const sentAt = performance.now();
      try {
        const answer = await client.send(new CheckoutLicenseCommand(oneSeatCheckout(license)));
        attempts.push({
          sentAt,
          answeredAt: performance.now(),
          outcome: 'OK',
          issuedAt: new Date(answer.IssuedAt!).getTime(),
        });
      } catch (error) {
        attempts.push({ sentAt, answeredAt: performance.now(), outcome: (error as Error).name });
      }
    }
  };
  const workers = clients.map(worker);
  return {
    jumps: [],
    async stop() {
      running = false;
      await Promise.all(workers);
      return attempts;
    },
  };
}

/**
 * Each jump caught requests in flight. Those may be refused as late (503: the deadline, in the
 * clock before the jump, passed at once) or as signed at another time (InvalidSignatureException:
 * signed before the jump, checked after); every request sent after a jump is served, and its lease
 * is issued at the moved clock's time.
 */
function expectLoadServedAcrossJumps(attempts: Attempt[], jumps: { at: number; offsetMs: number }[]) {
  const realToEpoch = Date.now() - performance.now();
  for (const [index, jump] of jumps.entries()) {
    const next = jumps[index + 1]?.at ?? Infinity;
    const inFlight = attempts.filter((a) => a.sentAt < jump.at && a.answeredAt > jump.at);
    expect(inFlight.length, `requests in flight at the jump to ${jump.offsetMs / HOUR} h`).toBeGreaterThan(0);
    for (const attempt of inFlight) {
      expect(['OK', 'ServiceUnavailableException', 'InvalidSignatureException']).toContain(attempt.outcome);
    }
    const after = attempts.filter((a) => a.sentAt > jump.at && a.answeredAt < next);
    expect(after.length, `requests after the jump to ${jump.offsetMs / HOUR} h`).toBeGreaterThan(0);
    expect(after.filter((a) => a.outcome !== 'OK').map((a) => a.outcome)).toEqual([]);
    for (const attempt of after) {
      const realIssue = attempt.sentAt + realToEpoch;
      expect(Math.abs(attempt.issuedAt! - (realIssue + jump.offsetMs))).toBeLessThan(60_000);
    }
  }
  console.log(
    `clock jumps: ${attempts.length} checkouts, ` +
      jumps
        .map((jump) => {
          const caught = attempts.filter((a) => a.sentAt < jump.at && a.answeredAt > jump.at);
          return `${jump.offsetMs / HOUR} h: ${caught.length} in flight (${caught.map((a) => a.outcome).join(', ')})`;
        })
        .join('; '),
  );
}
