import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LicenseManager } from '@lm/api-model';
import { invalidParameterValue, type Caller } from '@lm/contracts';
import { ManualClock, openServiceStorageOf, type ServiceStorage } from '@lm/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LicensingReads } from '../src/report-generators/application/licensing-reads';
import { ReportGeneratorCommands } from '../src/report-generators/application/report-generator.commands';
import { ReportGeneratorQueries } from '../src/report-generators/application/report-generator.queries';
import { ReportGeneratorSweep } from '../src/report-generators/application/report-generator.sweep';
import { ReportRun } from '../src/report-generators/application/report-run';
import { DirectoryReportDestination } from '../src/report-generators/infra/directory-report-destination';
import { ReportingService } from '../src/reporting.service';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { NewStreamBatcher } from '@lm/event-store';

const HOUR = 3600_000;
const t0 = new Date('2026-03-01T09:00:00Z');
const REGION = 'us-east-1';
const configurationArnOf = (accountId: string) =>
  `arn:aws:license-manager:${REGION}:${accountId}:license-configuration:lic-${'ab'.repeat(16)}`;
const configurationArn = configurationArnOf('111111111111');

const callerOf = (accountId: string): Caller => ({
  accountId,
  principalArn: `arn:aws:iam::${accountId}:root`,
  accessKeyId: `AKIA${accountId}`,
  region: REGION,
});
const owner = callerOf('111111111111');
const withoutBucket = callerOf('222222222222');

/**
 * Licensing as the report run sees it through its port, for the schedule's own tests (the e2e
 * suite asks the real licensing service): one configuration per account, and a bucket set for
 * account 111111111111 only.
 */
const licensing: LicensingReads = {
  async configuration(reportOwner, arn) {
    if (arn !== configurationArnOf(reportOwner.accountId))
      throw invalidParameterValue(`License configuration ${arn} does not exist.`);
    return { LicenseConfigurationArn: arn, Name: 'SQL', LicenseCountingType: 'vCPU', ConsumedLicenses: 4 };
  },
  async usage(): Promise<LicenseManager.LicenseConfigurationUsage[]> {
    return [
      {
        ResourceArn: 'arn:aws:ec2:us-east-1:111111111111:instance/i-1',
        ResourceType: 'EC2_INSTANCE',
        ConsumedLicenses: 4,
      },
    ];
  },
  async reportsBucketArn(reportOwner) {
    return reportOwner.accountId === owner.accountId ? 'arn:aws:s3:::aws-license-manager-service-test' : undefined;
  },
};

describe('the report schedule, with a manual clock', () => {
  let database: TestDatabase;
  let storage: ServiceStorage;
  let reportsDir: string;
  const clock = new ManualClock(t0);
  let commands: ReportGeneratorCommands;
  let queries: ReportGeneratorQueries;
  let sweep: ReportGeneratorSweep;
  let token = 0;

  /** A replica's sweep: its own run, on the one database. */
  const sweepOf = (on: ServiceStorage) =>
    new ReportGeneratorSweep(
      on.db,
      on.store,
      clock,
      { reportRunStaleMs: 10 * 60_000, reportRetryMs: HOUR },
      new ReportRun(licensing, new DirectoryReportDestination(reportsDir)),
    );

  const create = (period: 'DAY' | 'WEEK' | 'MONTH' | 'ONE_TIME', name: string, caller = owner) =>
    commands.create(caller, {
      ReportGeneratorName: name,
      Type: ['LicenseConfigurationSummaryReport'],
      ReportContext: { licenseConfigurationArns: [configurationArnOf(caller.accountId)] },
      ReportFrequency: { value: 1, period },
      ClientToken: `token-${++token}`,
    });
  const reportsOf = (name: string) => {
    const root = join(reportsDir, 'aws-license-manager-service-test', 'Reports', name);
    try {
      return readdirSync(root, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1))
        .sort();
    } catch {
      return [];
    }
  };
  const generatorOf = async (arn: string, caller = owner) => (await queries.get(caller, arn)).ReportGenerator!;

  beforeAll(async () => {
    database = await createTestDatabase('lm_reporting');
    storage = await openServiceStorageOf(ReportingService, { DATABASE_URL: database.url });
    reportsDir = mkdtempSync(join(tmpdir(), 'lm-schedule-'));
    commands = new ReportGeneratorCommands(
      storage.store,
      storage.db,
      clock,
      REGION,
      licensing,
      new NewStreamBatcher(storage.store),
    );
    queries = new ReportGeneratorQueries(storage.db, REGION);
    sweep = sweepOf(storage);
  });
  afterAll(async () => {
    await storage?.close();
    await database?.drop();
    if (reportsDir) rmSync(reportsDir, { recursive: true, force: true });
  });

  it('runs a daily generator at once, then every 24 hours, and never twice for one due time', async () => {
    clock.set(t0);
    const { LicenseManagerReportGeneratorArn: arn } = await create('DAY', 'daily');
    expect(await sweep.sweep()).toBe(1);
    expect(await sweep.sweep()).toBe(0);
    expect(reportsOf('daily')).toEqual([expect.stringMatching(/^2026\/03\/01\/[0-9a-f-]+-summary\.csv$/)]);
    expect(await generatorOf(arn!)).toMatchObject({
      LastRunStatus: 'SUCCESS',
      LastReportGenerationTime: t0.toISOString(),
    });

    clock.set(new Date(t0.getTime() + 23.9 * HOUR));
    expect(await sweep.sweep()).toBe(0);
    clock.set(new Date(t0.getTime() + 24 * HOUR));
    expect(await sweep.sweep()).toBe(1);
    expect(reportsOf('daily')).toEqual([
      expect.stringMatching(/^2026\/03\/01\//),
      expect.stringMatching(/^2026\/03\/02\/[0-9a-f-]+-summary\.csv$/),
    ]);
    expect((await generatorOf(arn!)).LastReportGenerationTime).toBe(clock.now().toISOString());
  });

  it('runs a ONE_TIME generator once, and again once updated', async () => {
    clock.set(new Date('2026-04-01T00:00:00Z'));
    const { LicenseManagerReportGeneratorArn: arn } = await create('ONE_TIME', 'once');
    // The daily one is due again too (a month passed): only the new one is counted below.
    await sweep.sweep();
    expect(reportsOf('once')).toHaveLength(1);
    clock.set(new Date('2027-04-01T00:00:00Z'));
    await sweep.sweep();
    expect(reportsOf('once')).toHaveLength(1);

    await commands.update(owner, {
      LicenseManagerReportGeneratorArn: arn!,
      ReportGeneratorName: 'once',
      Type: ['LicenseConfigurationSummaryReport', 'LicenseConfigurationUsageReport'],
      ReportContext: { licenseConfigurationArns: [configurationArn] },
      ReportFrequency: { value: 1, period: 'ONE_TIME' },
      ClientToken: 'update-1',
    });
    expect(await sweep.sweep()).toBe(1);
    expect(reportsOf('once').filter((key) => key.startsWith('2027/04/01/'))).toEqual([
      expect.stringMatching(/-summary\.csv$/),
      expect.stringMatching(/-usage\.csv$/),
    ]);
  });

  it('records a failed run with a reason its owner can act on, and tries again an hour later', async () => {
    const start = new Date('2027-05-01T00:00:00Z');
    clock.set(start);
    const { LicenseManagerReportGeneratorArn: arn } = await create('WEEK', 'no-bucket', withoutBucket);
    // The other generators are due too (a year passed): the sweeps below count this one only.
    await sweep.sweep();
    expect(reportsOf('no-bucket')).toEqual([]);
    const failed = await generatorOf(arn!, withoutBucket);
    expect(failed).toMatchObject({
      LastRunStatus: 'FAILED',
      LastRunFailureReason: expect.stringMatching(/No S3 bucket/),
    });
    expect(failed.LastReportGenerationTime).toBeUndefined();
    clock.set(new Date(start.getTime() + HOUR - 1));
    expect(await sweep.sweep()).toBe(0);
    clock.set(new Date(start.getTime() + HOUR));
    expect(await sweep.sweep()).toBe(1);
    expect((await generatorOf(arn!, withoutBucket)).LastRunStatus).toBe('FAILED');
  });

  it('runs each due generator once when two replicas sweep at the same time', async () => {
    const replica = await openServiceStorageOf(ReportingService, { DATABASE_URL: database.url });
    try {
      clock.set(new Date('2028-01-01T00:00:00Z'));
      const due = await storage.db
        .withSchema('reporting')
        .selectFrom('report_generators')
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .where('next_run_at', '<=', clock.now())
        .executeTakeFirstOrThrow();
      expect(Number(due.count)).toBeGreaterThanOrEqual(2);
      const [first, second] = await Promise.all([sweep.sweep(), sweepOf(replica).sweep()]);
      expect(first + second).toBe(Number(due.count));
      expect(reportsOf('daily').filter((key) => key.startsWith('2028/01/01/'))).toHaveLength(1);
    } finally {
      await replica.close();
    }
  });
});
