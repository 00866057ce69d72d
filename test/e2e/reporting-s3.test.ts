import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateLicenseConfigurationCommand,
  CreateLicenseManagerReportGeneratorCommand,
  GetLicenseManagerReportGeneratorCommand,
  UpdateLicenseSpecificationsForResourceCommand,
  UpdateServiceSettingsCommand,
  type LicenseManagerClient,
} from '@aws-sdk/client-license-manager';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
// s3rver ships no types: the three members used here are declared below.
import S3rverServer from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licenseManager } from '../support/clients';
import { reportResources } from '../support/inventory';
import { accounts, startSystem, type RunningSystem } from '../support/system';

interface S3rver {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
const S3rverClass = S3rverServer as unknown as new (options: object) => S3rver;

const BUCKET = 'aws-license-manager-service-s3-e2e';
/** s3rver's fixed credentials: the service is given them as LM_S3_ACCESS_KEY_ID and LM_S3_SECRET_ACCESS_KEY. */
const S3_KEY = 'S3RVER';

describe('reports written to an S3-compatible store (s3rver)', () => {
  let s3Server: S3rver;
  let s3: S3Client;
  let system: RunningSystem;
  let client: LicenseManagerClient;
  let storeDir: string;
  let reportsDir: string;
  let configuration: string;

  const generatorWithFirstRun = async (as: LicenseManagerClient, name: string, arns: string[]) => {
    const { LicenseManagerReportGeneratorArn } = await as.send(
      new CreateLicenseManagerReportGeneratorCommand({
        ReportGeneratorName: name,
        Type: ['LicenseConfigurationSummaryReport', 'LicenseConfigurationUsageReport'],
        ReportContext: { licenseConfigurationArns: arns },
        ReportFrequency: { value: 1, period: 'MONTH' },
        ClientToken: `${name}-${Date.now()}`,
      }),
    );
    for (let i = 0; i < 100; i++) {
      const { ReportGenerator } = await as.send(
        new GetLicenseManagerReportGeneratorCommand({ LicenseManagerReportGeneratorArn }),
      );
      if (ReportGenerator!.LastRunStatus) return ReportGenerator!;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`${name} never ran`);
  };

  beforeAll(async () => {
    storeDir = mkdtempSync(join(tmpdir(), 'lm-s3rver-'));
    reportsDir = mkdtempSync(join(tmpdir(), 'lm-reports-unused-'));
    s3Server = new S3rverClass({
      port: 0,
      address: '127.0.0.1',
      silent: true,
      directory: storeDir,
      configureBuckets: [{ name: BUCKET }],
    });
    const { port } = await s3Server.run();
    const endpoint = `http://127.0.0.1:${port}`;
    s3 = new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: S3_KEY, secretAccessKey: S3_KEY },
    });
    system = await startSystem({
      LM_S3_ENDPOINT: endpoint,
      LM_S3_ACCESS_KEY_ID: S3_KEY,
      LM_S3_SECRET_ACCESS_KEY: S3_KEY,
      LM_REPORTS_DIR: reportsDir,
      LM_REPORT_SWEEP_MS: '500',
    });
    client = licenseManager(system, accounts.management);
    configuration = (
      await client.send(new CreateLicenseConfigurationCommand({ Name: 'Agents', LicenseCountingType: 'Instance' }))
    ).LicenseConfigurationArn!;
    const [resource] = await reportResources(system, [
      {
        accountId: accounts.management.accountId,
        resourceId: 'i-0s3000000000000a1',
        resourceType: 'EC2_INSTANCE',
        state: 'running',
      },
    ]);
    await client.send(
      new UpdateLicenseSpecificationsForResourceCommand({
        ResourceArn: resource,
        AddLicenseSpecifications: [{ LicenseConfigurationArn: configuration }],
      }),
    );
    await client.send(new UpdateServiceSettingsCommand({ S3BucketArn: `arn:aws:s3:::${BUCKET}` }));
  });
  afterAll(async () => {
    await system?.stop();
    await s3Server?.close();
    for (const dir of [storeDir, reportsDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('puts each report in the bucket of the settings under the guide’s key layout, and nothing in the directory', async () => {
    const generator = await generatorWithFirstRun(client, 'monthly agents', [configuration]);
    expect(generator).toMatchObject({
      LastRunStatus: 'SUCCESS',
      S3Location: { bucket: BUCKET, keyPrefix: 'Reports/monthly agents/' },
    });
    const day = generator.LastReportGenerationTime!.slice(0, 10).replace(/-/g, '/');
    const { Contents } = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'Reports/monthly agents/' }));
    const keys = Contents!.map((object) => object.Key!).sort();
    expect(keys).toEqual([
      expect.stringMatching(new RegExp(`^Reports/monthly agents/${day}/[0-9a-f-]+-summary\\.csv$`)),
      expect.stringMatching(new RegExp(`^Reports/monthly agents/${day}/[0-9a-f-]+-usage\\.csv$`)),
    ]);
    const read = async (Key: string) =>
      (await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key }))).Body!.transformToString())
        .trimEnd()
        .split('\r\n');
    const [summaryHeader, ...summary] = await read(keys[0]);
    expect(summaryHeader).toMatch(/^LicenseConfigurationArn,Name,/);
    expect(summary).toEqual([
      expect.stringMatching(new RegExp(`^${configuration},Agents,AVAILABLE,Instance,,false,1,,`)),
    ]);
    const [, ...usage] = await read(keys[1]);
    expect(usage).toEqual([
      expect.stringMatching(
        new RegExp(
          `^arn:aws:ec2:us-east-1:111111111111:instance/i-0s3000000000000a1,EC2_INSTANCE,111111111111,${configuration},1,running,`,
        ),
      ),
    ]);
    expect(readdirSync(reportsDir)).toEqual([]);
  });

  it('fails the run saying so when the store has no such bucket', async () => {
    const member = licenseManager(system, accounts.member);
    const own = (
      await member.send(new CreateLicenseConfigurationCommand({ Name: 'member', LicenseCountingType: 'Instance' }))
    ).LicenseConfigurationArn!;
    await member.send(
      new UpdateServiceSettingsCommand({ S3BucketArn: 'arn:aws:s3:::aws-license-manager-service-missing' }),
    );
    const generator = await generatorWithFirstRun(member, 'missing bucket', [own]);
    expect(generator.LastRunStatus).toBe('FAILED');
    expect(generator.LastRunFailureReason).toMatch(
      /could not be written to S3 bucket aws-license-manager-service-missing \(NoSuchBucket/,
    );
  });
});
