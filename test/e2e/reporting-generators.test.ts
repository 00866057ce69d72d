import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateLicenseManagerReportGeneratorCommand,
  DeleteLicenseManagerReportGeneratorCommand,
  GetLicenseConfigurationCommand,
  GetLicenseManagerReportGeneratorCommand,
  LicenseManagerClient,
  ListLicenseManagerReportGeneratorsCommand,
  ListTagsForResourceCommand,
  ListUsageForLicenseConfigurationCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateLicenseManagerReportGeneratorCommand,
  UpdateLicenseSpecificationsForResourceCommand,
  UpdateServiceSettingsCommand,
  type CreateLicenseManagerReportGeneratorCommandInput,
  type ReportGenerator,
} from '@aws-sdk/client-license-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { associationsOf, awsCli, createConfiguration, licenseManager } from '../support/clients';
import { instanceMaker, reportResources } from '../support/inventory';
import { accounts, startSystem, type RunningSystem } from '../support/system';

const OWNER = accounts.management.accountId;
const BUCKET = 'aws-license-manager-service-reports-e2e';
const instance = instanceMaker(OWNER, 'a');

/** Every file under a directory, as paths relative to it. */
function filesUnder(root: string, prefix = ''): string[] {
  return readdirSync(join(root, prefix), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(root, join(prefix, entry.name)) : [join(prefix, entry.name)],
  );
}

/** A CSV of the reports (no field of these scenarios holds a comma or a quote) as header and rows. */
const parseCsv = (text: string) =>
  text
    .trimEnd()
    .split('\r\n')
    .map((line) => line.split(','));

describe('report generators (reporting service)', () => {
  let system: RunningSystem;
  let client: LicenseManagerClient;
  let reportsDir: string;
  let configA: string;
  let configB: string;
  let seq = 0;

  const request = (changes: Partial<CreateLicenseManagerReportGeneratorCommandInput> = {}) => ({
    ReportGeneratorName: `report-${++seq}`,
    Type: ['LicenseConfigurationSummaryReport' as const, 'LicenseConfigurationUsageReport' as const],
    ReportContext: { licenseConfigurationArns: [configA] },
    ReportFrequency: { value: 1, period: 'DAY' as const },
    ClientToken: `token-${seq}-${Date.now()}`,
    ...changes,
  });
  const create = async (changes: Partial<CreateLicenseManagerReportGeneratorCommandInput> = {}, as = client) =>
    (await as.send(new CreateLicenseManagerReportGeneratorCommand(request(changes)))).LicenseManagerReportGeneratorArn!;
  const get = async (arn: string, as = client) =>
    (await as.send(new GetLicenseManagerReportGeneratorCommand({ LicenseManagerReportGeneratorArn: arn })))
      .ReportGenerator!;
  const listAll = async (as = client, Filters?: { Name: string; Values: string[] }[]) => {
    const generators: ReportGenerator[] = [];
    let NextToken: string | undefined;
    do {
      const page = await as.send(new ListLicenseManagerReportGeneratorsCommand({ Filters, NextToken, MaxResults: 2 }));
      generators.push(...page.ReportGenerators!);
      NextToken = page.NextToken;
    } while (NextToken);
    return generators;
  };
  /** Waits for the generator's first run to end (the sweep runs every 500 ms here; a minute by default). */
  const firstRun = async (arn: string, as = client) => {
    for (let i = 0; i < 100; i++) {
      const generator = await get(arn, as);
      if (generator.LastRunStatus) return generator;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`${arn} never ran`);
  };

  beforeAll(async () => {
    reportsDir = mkdtempSync(join(tmpdir(), 'lm-reports-'));
    system = await startSystem({ LM_REPORTS_DIR: reportsDir, LM_REPORT_SWEEP_MS: '500' });
    client = licenseManager(system, accounts.management);
    configA = await createConfiguration(client, {
      Name: 'SQL Server Enterprise',
      LicenseCountingType: 'vCPU',
      LicenseCount: 48,
      LicenseCountHardLimit: true,
      LicenseRules: ['#minimumVcpus=2'],
    });
    configB = await createConfiguration(client, { Name: 'Agents', LicenseCountingType: 'Instance' });
    const [first, second] = await reportResources(system, [instance(4), instance(8)]);
    for (const [resource, configurations] of [
      [first, [configA]],
      [second, [configA, configB]],
    ] as const) {
      await client.send(
        new UpdateLicenseSpecificationsForResourceCommand({
          ResourceArn: resource,
          AddLicenseSpecifications: configurations.map((LicenseConfigurationArn) => ({ LicenseConfigurationArn })),
        }),
      );
    }
    await client.send(new UpdateServiceSettingsCommand({ S3BucketArn: `arn:aws:s3:::${BUCKET}` }));
  });
  afterAll(async () => {
    await system?.stop();
    if (reportsDir) rmSync(reportsDir, { recursive: true, force: true });
  });

  it('creates a generator that writes its first reports at once, with the rows of licensing', async () => {
    const name = 'Daily SQL Server usage';
    const arn = await create({
      ReportGeneratorName: name,
      ReportContext: { licenseConfigurationArns: [configA, configB] },
      Description: 'for the audit',
    });
    expect(arn).toMatch(/^arn:aws:license-manager:us-east-1:111111111111:report-generator:r-[0-9a-f]{32}$/);
    const generator = await firstRun(arn);
    expect(generator).toMatchObject({
      ReportGeneratorName: name,
      ReportType: ['LicenseConfigurationSummaryReport', 'LicenseConfigurationUsageReport'],
      ReportContext: { licenseConfigurationArns: [configA, configB] },
      ReportFrequency: { value: 1, period: 'DAY' },
      LicenseManagerReportGeneratorArn: arn,
      LastRunStatus: 'SUCCESS',
      ReportCreatorAccount: OWNER,
      Description: 'for the audit',
      S3Location: { bucket: BUCKET, keyPrefix: `Reports/${name}/` },
    });
    expect(generator.LastRunFailureReason).toBeUndefined();
    expect(Date.parse(generator.LastReportGenerationTime!)).toBeGreaterThanOrEqual(Date.parse(generator.CreateTime!));

    const day = generator.LastReportGenerationTime!.slice(0, 10).replace(/-/g, '/');
    const files = filesUnder(join(reportsDir, BUCKET)).sort();
    const ofThisGenerator = files.filter((file) => file.startsWith(`Reports/${name}/`));
    expect(ofThisGenerator).toHaveLength(2);
    for (const file of ofThisGenerator)
      expect(file).toMatch(new RegExp(`^Reports/${name}/${day}/[0-9a-f-]+-(summary|usage)\\.csv$`));

    const summary = parseCsv(
      readFileSync(
        join(
          reportsDir,
          BUCKET,
          ofThisGenerator.find((f) => f.endsWith('-summary.csv'))!,
        ),
        'utf8',
      ),
    );
    const usage = parseCsv(
      readFileSync(
        join(
          reportsDir,
          BUCKET,
          ofThisGenerator.find((f) => f.endsWith('-usage.csv'))!,
        ),
        'utf8',
      ),
    );
    expect(summary[0]).toEqual([
      'LicenseConfigurationArn',
      'Name',
      'Status',
      'LicenseCountingType',
      'LicenseCount',
      'LicenseCountHardLimit',
      'ConsumedLicenses',
      'LicenseRules',
      'ConsumedLicensesByResourceType',
    ]);
    // What licensing says of each configuration, row for row.
    const expectedSummary = [];
    for (const LicenseConfigurationArn of [configA, configB]) {
      const c = await client.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn }));
      expectedSummary.push([
        c.LicenseConfigurationArn,
        c.Name,
        c.Status,
        c.LicenseCountingType,
        String(c.LicenseCount ?? ''),
        String(c.LicenseCountHardLimit),
        String(c.ConsumedLicenses),
        (c.LicenseRules ?? []).join(' '),
        (c.ConsumedLicenseSummaryList ?? []).map((s) => `${s.ResourceType}=${s.ConsumedLicenses}`).join(';'),
      ]);
    }
    expect(summary.slice(1)).toEqual(expectedSummary);
    expect(summary[1][6]).toBe('12');
    expect(summary[2][6]).toBe('1');

    expect(usage[0]).toEqual([
      'ResourceArn',
      'ResourceType',
      'ResourceOwnerId',
      'LicenseConfigurationArn',
      'ConsumedLicenses',
      'ResourceStatus',
      'AssociationTime',
    ]);
    const expectedUsage = [];
    for (const LicenseConfigurationArn of [configA, configB]) {
      const associated = (await associationsOf(client, LicenseConfigurationArn)).map((a) => a.ResourceArn);
      const { LicenseConfigurationUsageList } = await client.send(
        new ListUsageForLicenseConfigurationCommand({ LicenseConfigurationArn }),
      );
      expect(LicenseConfigurationUsageList!.map((u) => u.ResourceArn)).toEqual(associated);
      for (const u of LicenseConfigurationUsageList!)
        expectedUsage.push([
          u.ResourceArn,
          u.ResourceType,
          u.ResourceOwnerId,
          LicenseConfigurationArn,
          String(u.ConsumedLicenses),
          u.ResourceStatus ?? '',
          u.AssociationTime!.toISOString(),
        ]);
    }
    expect(usage.slice(1)).toEqual(expectedUsage);
    expect(usage.slice(1)).toHaveLength(3);
  });

  it('tells the truth when the account has no bucket for reports', async () => {
    const member = licenseManager(system, accounts.member);
    const own = await createConfiguration(member, { Name: 'member', LicenseCountingType: 'Instance' });
    const arn = await create({ ReportContext: { licenseConfigurationArns: [own] } }, member);
    const generator = await firstRun(arn, member);
    expect(generator.LastRunStatus).toBe('FAILED');
    expect(generator.LastRunFailureReason).toMatch(
      /No S3 bucket is set for reports: set one with UpdateServiceSettings/,
    );
    expect(generator.LastReportGenerationTime).toBeUndefined();
    expect(generator.S3Location).toBeUndefined();
  });

  it('refuses every invalid definition with the modeled error, storing nothing', async () => {
    const before = await listAll();
    const refused = async (
      changes: Partial<CreateLicenseManagerReportGeneratorCommandInput>,
      name: string,
      message: RegExp,
    ) =>
      expect(client.send(new CreateLicenseManagerReportGeneratorCommand(request(changes)))).rejects.toMatchObject({
        name,
        message: expect.stringMatching(message),
      });
    await refused({ ReportGeneratorName: 'x'.repeat(101) }, 'ValidationException', /ReportGeneratorName/i);
    await refused({ ReportGeneratorName: 'a/b' }, 'ValidationException', /cannot contain/);
    await refused({ ReportFrequency: { value: 2, period: 'DAY' } }, 'ValidationException', /value must be 1/);
    await refused({ ReportFrequency: { value: 1, period: 'HOURLY' as 'DAY' } }, 'ValidationException', /period/);
    await refused({ Type: ['LicenseAssetGroupUsageReport'] }, 'InvalidParameterValueException', /asset groups/);
    const unknown = configA.replace(/lic-[0-9a-f]+$/, `lic-${'0'.repeat(32)}`);
    await refused(
      { ReportContext: { licenseConfigurationArns: [unknown] } },
      'InvalidParameterValueException',
      /does not exist/,
    );
    const member = licenseManager(system, accounts.member);
    const theirs = await createConfiguration(member, { Name: 'theirs', LicenseCountingType: 'Instance' });
    await refused(
      { ReportContext: { licenseConfigurationArns: [theirs] } },
      'InvalidParameterValueException',
      /does not exist/,
    );
    expect(await listAll()).toEqual(before);
  });

  it('answers a retried create with the first ARN, and refuses the token for another request', async () => {
    const input = request();
    const first = await client.send(new CreateLicenseManagerReportGeneratorCommand(input));
    const again = await client.send(new CreateLicenseManagerReportGeneratorCommand(input));
    expect(again.LicenseManagerReportGeneratorArn).toBe(first.LicenseManagerReportGeneratorArn);
    await expect(
      client.send(new CreateLicenseManagerReportGeneratorCommand({ ...input, Description: 'another request' })),
    ).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/already used/) });
    const named = (await listAll()).filter((g) => g.ReportGeneratorName === input.ReportGeneratorName);
    expect(named).toHaveLength(1);
  });

  it('updates, lists with the LicenseConfigurationArn filter and pages, tags and deletes, in the caller’s account only', async () => {
    const arn = await create({ Tags: [{ Key: 'team', Value: 'finance' }] });
    await client.send(
      new UpdateLicenseManagerReportGeneratorCommand({
        LicenseManagerReportGeneratorArn: arn,
        ...request({ ReportGeneratorName: 'weekly', ReportFrequency: { value: 1, period: 'WEEK' } }),
        ReportContext: { licenseConfigurationArns: [configB] },
        Type: ['LicenseConfigurationUsageReport'],
      }),
    );
    expect(await get(arn)).toMatchObject({
      ReportGeneratorName: 'weekly',
      ReportType: ['LicenseConfigurationUsageReport'],
      ReportFrequency: { value: 1, period: 'WEEK' },
      ReportContext: { licenseConfigurationArns: [configB] },
    });
    const withB = await listAll(client, [{ Name: 'LicenseConfigurationArn', Values: [configB] }]);
    expect(withB.map((g) => g.LicenseManagerReportGeneratorArn)).toContain(arn);
    expect(withB.every((g) => g.ReportContext!.licenseConfigurationArns!.includes(configB))).toBe(true);
    const all = await listAll();
    expect(all.length).toBeGreaterThan(2);
    expect(new Set(all.map((g) => g.LicenseManagerReportGeneratorArn)).size).toBe(all.length);
    await expect(
      client.send(new ListLicenseManagerReportGeneratorsCommand({ Filters: [{ Name: 'Other', Values: ['x'] }] })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });

    await client.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'env', Value: 'prod' }] }));
    await client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['team'] }));
    expect((await client.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags).toEqual([
      { Key: 'env', Value: 'prod' },
    ]);

    const outsider = licenseManager(system, accounts.outsider);
    await expect(get(arn, outsider)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(outsider.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
    });
    await expect(
      outsider.send(new DeleteLicenseManagerReportGeneratorCommand({ LicenseManagerReportGeneratorArn: arn })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect(await listAll(outsider)).toEqual([]);

    await client.send(new DeleteLicenseManagerReportGeneratorCommand({ LicenseManagerReportGeneratorArn: arn }));
    await expect(get(arn)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect((await listAll()).map((g) => g.LicenseManagerReportGeneratorArn)).not.toContain(arn);
  });

  it('works with the AWS CLI', async () => {
    const created = await awsCli(system, accounts.management, [
      'license-manager',
      'create-license-manager-report-generator',
      '--report-generator-name',
      'cli report',
      '--type',
      'LicenseConfigurationSummaryReport',
      '--report-context',
      JSON.stringify({ licenseConfigurationArns: [configA] }),
      '--report-frequency',
      'value=1,period=ONE_TIME',
      '--client-token',
      `cli-${Date.now()}`,
    ]);
    expect(created.stderr).toBe('');
    const arn = created.json.LicenseManagerReportGeneratorArn;
    const got = await awsCli(system, accounts.management, [
      'license-manager',
      'get-license-manager-report-generator',
      '--license-manager-report-generator-arn',
      arn,
    ]);
    expect(got.json.ReportGenerator).toMatchObject({
      ReportGeneratorName: 'cli report',
      ReportFrequency: { period: 'ONE_TIME' },
    });
    const bad = await awsCli(system, accounts.management, [
      'license-manager',
      'create-license-manager-report-generator',
      '--report-generator-name',
      'bad',
      '--type',
      'LicenseConfigurationSummaryReport',
      '--report-context',
      JSON.stringify({ licenseConfigurationArns: [configA] }),
      '--report-frequency',
      'value=3,period=DAY',
      '--client-token',
      `cli-bad-${Date.now()}`,
    ]);
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toMatch(/ValidationException/);
  });
});
