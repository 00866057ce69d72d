import { Module } from '@nestjs/common';
import {
  CONFIG,
  type ConfigOf,
  DEFAULT_REGION,
  InvalidSettingError,
  milliseconds,
  positiveInteger,
  setting,
  tagOperationsController,
  text,
} from '@lm/service-kit';
import { LICENSING_READS } from './application/licensing-reads';
import { REPORT_DESTINATION, type ReportDestination } from './application/report-destination';
import { ReportGeneratorCommands } from './application/report-generator.commands';
import { ReportGeneratorQueries } from './application/report-generator.queries';
import { ReportGeneratorSweep } from './application/report-generator.sweep';
import { ReportRun } from './application/report-run';
import { DirectoryReportDestination } from './infra/directory-report-destination';
import { NatsLicensingReads } from './infra/nats-licensing-reads';
import { ReportGeneratorsController } from './infra/report-generators.controller';
import { S3ReportDestination } from './infra/s3-report-destination';

/** LM_S3_ACCESS_KEY_ID and LM_S3_SECRET_ACCESS_KEY: both or neither (the values are never repeated in a message). */
const s3Credentials = setting('LM_S3_ACCESS_KEY_ID', (accessKeyId, env) => {
  const secretAccessKey = env.LM_S3_SECRET_ACCESS_KEY?.trim() || undefined;
  if (!accessKeyId !== !secretAccessKey)
    throw new InvalidSettingError('LM_S3_ACCESS_KEY_ID and LM_S3_SECRET_ACCESS_KEY must be set together, or neither');
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined;
});

/** The report generators slice's settings, read with the service's when it starts. */
export const reportGeneratorsSettings = {
  /** LM_REPORT_SWEEP_MS: how often due generators are looked for (a new one reports within this time). */
  reportSweepMs: milliseconds('LM_REPORT_SWEEP_MS', 60_000),
  /** LM_REPORT_RUN_STALE_MS: a run not finished after this long (its replica died) is taken over. */
  reportRunStaleMs: milliseconds('LM_REPORT_RUN_STALE_MS', 10 * 60_000),
  /** LM_REPORT_RETRY_MS: how long after a failed run it is tried again (unless its next period comes sooner). */
  reportRetryMs: milliseconds('LM_REPORT_RETRY_MS', 60 * 60_000),
  /** LM_QUOTA_REPORT_GENERATORS: report generators per account and Region (this product's default: neither the guide nor the model gives one). */
  reportGeneratorQuota: positiveInteger('LM_QUOTA_REPORT_GENERATORS', 20),
  /** LM_S3_ENDPOINT: the S3-compatible store reports are written to; unset, they are written under LM_REPORTS_DIR. */
  s3Endpoint: text('LM_S3_ENDPOINT'),
  /** LM_S3_REGION: the Region the store signs for (LM_REGION unless said). */
  s3Region: setting('LM_S3_REGION', (raw, env) => raw ?? env.LM_REGION ?? DEFAULT_REGION),
  s3Credentials,
  /** LM_REPORTS_DIR: where reports go as <bucket>/<key> files without an S3 endpoint. */
  reportsDir: text('LM_REPORTS_DIR', '.data/reports'),
};

type ReportGeneratorsConfig = ConfigOf<typeof reportGeneratorsSettings>;

function reportDestination(config: ReportGeneratorsConfig): ReportDestination {
  if (!config.s3Endpoint) return new DirectoryReportDestination(config.reportsDir);
  return new S3ReportDestination({ endpoint: config.s3Endpoint, region: config.s3Region, ...config.s3Credentials });
}

/**
 * Report generators: their definitions (validated, each configuration checked with licensing),
 * tags, and the schedule that runs them and writes their CSV reports to S3 or a directory.
 */
@Module({
  controllers: [
    ReportGeneratorsController,
    tagOperationsController('reporting', ReportGeneratorCommands, ReportGeneratorQueries),
  ],
  providers: [
    ReportGeneratorCommands,
    ReportGeneratorQueries,
    ReportRun,
    ReportGeneratorSweep,
    { provide: LICENSING_READS, useClass: NatsLicensingReads },
    { provide: REPORT_DESTINATION, useFactory: reportDestination, inject: [CONFIG] },
  ],
})
export class ReportGeneratorsModule {}
