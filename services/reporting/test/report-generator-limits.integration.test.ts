import type { Caller } from '@lm/contracts';
import { openServiceStorageOf, systemClock, type ServiceStorage } from '@lm/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LicensingReads } from '../src/report-generators/application/licensing-reads';
import { ReportGeneratorCommands } from '../src/report-generators/application/report-generator.commands';
import { ReportGeneratorQueries } from '../src/report-generators/application/report-generator.queries';
import { ReportingService } from '../src/reporting.service';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { NewStreamBatcher } from '@lm/event-store';

const REGION = 'us-east-1';
const caller: Caller = {
  accountId: '111111111111',
  principalArn: 'arn:aws:iam::111111111111:root',
  accessKeyId: 'AKIA111111111111',
  region: REGION,
};
const configurationArn = `arn:aws:license-manager:${REGION}:111111111111:license-configuration:lic-${'cd'.repeat(16)}`;

/** Licensing knows every configuration named here (the definitions' checks are the e2e suite's). */
const licensing: LicensingReads = {
  configuration: async (_owner, arn) => ({ LicenseConfigurationArn: arn }),
  usage: async () => [],
  reportsBucketArn: async () => undefined,
};

describe('report generator quota and ClientToken races (LM_QUOTA_REPORT_GENERATORS=3)', () => {
  let database: TestDatabase;
  let storage: ServiceStorage;
  let commands: ReportGeneratorCommands;
  let queries: ReportGeneratorQueries;

  const request = (ClientToken: string, name = ClientToken) => ({
    ReportGeneratorName: name,
    Type: ['LicenseConfigurationUsageReport' as const],
    ReportContext: { licenseConfigurationArns: [configurationArn] },
    ReportFrequency: { value: 1, period: 'DAY' as const },
    ClientToken,
  });
  const listed = async () => (await queries.list(caller, {})).ReportGenerators!.map((g) => g.ReportGeneratorName);

  beforeAll(async () => {
    database = await createTestDatabase('lm_reporting');
    storage = await openServiceStorageOf(ReportingService, {
      DATABASE_URL: database.url,
      LM_QUOTA_REPORT_GENERATORS: '3',
    });
    commands = new ReportGeneratorCommands(
      storage.store,
      storage.db,
      systemClock,
      REGION,
      licensing,
      new NewStreamBatcher(storage.store),
    );
    queries = new ReportGeneratorQueries(storage.db, REGION);
  });
  afterAll(async () => {
    await storage?.close();
    await database?.drop();
  });

  it('creates one generator for racing creates with one ClientToken, all answered with its ARN', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => commands.create(caller, request('race'))));
    expect(new Set(answers.map((a) => a.LicenseManagerReportGeneratorArn)).size).toBe(1);
    expect(await listed()).toEqual(['race']);
  });

  it('refuses the generator past the quota, storing nothing, and takes one again after a deletion', async () => {
    await commands.create(caller, request('second'));
    const { LicenseManagerReportGeneratorArn: third } = await commands.create(caller, request('third'));
    await expect(commands.create(caller, request('fourth'))).rejects.toMatchObject({
      code: 'ResourceLimitExceededException',
      message: expect.stringMatching(/at most 3 report generators/),
    });
    expect(await listed()).toEqual(['race', 'second', 'third']);
    await commands.delete(caller, third!);
    await commands.create(caller, request('fourth again', 'fourth'));
    expect(await listed()).toEqual(['race', 'second', 'fourth']);
    // A retried create of a generator since deleted still answers its ARN rather than creating another.
    expect((await commands.create(caller, request('third'))).LicenseManagerReportGeneratorArn).toBe(third);
  });
});
