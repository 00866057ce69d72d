import { Inject, Injectable } from '@nestjs/common';
import { AwsError } from '@lm/contracts';
import type { RunOutcome } from '../domain/commands';
import type { ReportGeneratorAggregate } from '../domain/report-generator';
import { renderReport, reportIdOf, reportKey, reportKeyPrefix, withinDates, type ReportData } from '../domain/reports';
import { LICENSING_READS, type LicensingReads, type ReportOwner } from './licensing-reads';
import { REPORT_DESTINATION, type ReportDestination } from './report-destination';

/** arn:aws:s3:::<bucket>, as UpdateServiceSettings takes S3BucketArn. */
const bucketOf = (bucketArn: string) => bucketArn.slice(bucketArn.lastIndexOf(':') + 1);

/** Why a run failed, in words its owner can act on. */
const reasonOf = (error: unknown) =>
  error instanceof AwsError || error instanceof Error ? error.message : `The run failed: ${String(error)}`;

/**
 * One run of a generator: reads what it reports on from licensing, renders a CSV per report type
 * and writes each to the bucket of the account's service settings, under the guide's key layout.
 * Every failure becomes the run's outcome, never an exception: the generator tells it.
 */
@Injectable()
export class ReportRun {
  constructor(
    @Inject(LICENSING_READS) private readonly licensing: LicensingReads,
    @Inject(REPORT_DESTINATION) private readonly destination: ReportDestination,
  ) {}

  async run(generator: ReportGeneratorAggregate, runId: string, runAt: Date): Promise<RunOutcome> {
    const owner: ReportOwner = { accountId: generator.accountId, region: generator.region };
    try {
      const bucketArn = await this.licensing.reportsBucketArn(owner);
      if (!bucketArn)
        return {
          status: 'FAILED',
          reason:
            'No S3 bucket is set for reports: set one with UpdateServiceSettings --s3-bucket-arn arn:aws:s3:::aws-license-manager-service-<name>.',
        };
      const bucket = bucketOf(bucketArn);
      const data = await this.reportData(owner, generator);
      const { name, types } = generator.definition;
      const keys: string[] = [];
      for (const type of types) {
        const key = reportKey(name, runAt, reportIdOf(runId, type));
        await this.destination.put(bucket, key, renderReport(type, data));
        keys.push(key);
      }
      return { status: 'SUCCESS', bucket, keyPrefix: reportKeyPrefix(name), keys };
    } catch (error) {
      return { status: 'FAILED', reason: reasonOf(error) };
    }
  }

  private async reportData(owner: ReportOwner, generator: ReportGeneratorAggregate): Promise<ReportData> {
    const { types, licenseConfigurationArns: arns } = generator.definition;
    const configurations = types.includes('LicenseConfigurationSummaryReport')
      ? await Promise.all(arns.map((arn) => this.licensing.configuration(owner, arn)))
      : [];
    const usage = types.includes('LicenseConfigurationUsageReport')
      ? await Promise.all(
          arns.map(async (arn) => ({ licenseConfigurationArn: arn, usage: await this.licensing.usage(owner, arn) })),
        )
      : [];
    const { licenseAssetGroupArns = [], reportStartDate, reportEndDate } = generator.definition;
    const assetGroups = types.includes('LicenseAssetGroupUsageReport')
      ? await Promise.all(
          licenseAssetGroupArns.map(async (arn) => ({
            licenseAssetGroupArn: arn,
            assets: (await this.licensing.assetGroupAssets(owner, arn)).filter((asset) =>
              withinDates(asset.latestAssetDiscoveryTime, reportStartDate, reportEndDate),
            ),
          })),
        )
      : [];
    return { configurations, usage, assetGroups };
  }
}
