import { withoutTags, withTags } from '@lm/contracts';
import type { LicenseManager } from '@lm/api-model';
import type { ReportGeneratorDefinition } from './definition';
import type { ReportGeneratorEvent } from './events';

/** The last run that ended, as GetLicenseManagerReportGenerator tells it. */
export interface LastRun {
  status: 'SUCCESS' | 'FAILED';
  at: string;
  reason?: string;
}

/** A report generator; instants are ISO strings, so that the state is kept as JSON in the view too. */
export interface ReportGeneratorAggregate {
  arn: string;
  accountId: string;
  region: string;
  definition: ReportGeneratorDefinition;
  tags: LicenseManager.Tag[];
  createdAt: string;
  /** When the next run is due; null when none is (a ONE_TIME generator that ran). */
  nextRunAt: string | null;
  /** The ClientTokens of its updates, with the hash of the request each came with. */
  updateTokens: Record<string, string>;
  running?: { runId: string; startedAt: string };
  lastRun?: LastRun;
  lastReportGenerationTime?: string;
  s3Location?: { bucket: string; keyPrefix: string };
}

export type ReportGeneratorState =
  { status: 'absent' } | { status: 'present'; generator: ReportGeneratorAggregate } | { status: 'deleted' };

export const initialReportGeneratorState = (): ReportGeneratorState => ({ status: 'absent' });

export function evolveReportGenerator(state: ReportGeneratorState, event: ReportGeneratorEvent): ReportGeneratorState {
  if (event.type === 'ReportGeneratorCreated') {
    const { arn, accountId, region, definition, tags, createdAt, nextRunAt } = event.data;
    return {
      status: 'present',
      generator: { arn, accountId, region, definition, tags, createdAt, nextRunAt, updateTokens: {} },
    };
  }
  if (state.status !== 'present') return state;
  const generator = state.generator;
  const present = (changes: Partial<ReportGeneratorAggregate>): ReportGeneratorState => ({
    status: 'present',
    generator: { ...generator, ...changes },
  });
  switch (event.type) {
    case 'ReportGeneratorUpdated':
      // A run of the former definition that is still going is superseded: its outcome is not recorded.
      return present({
        definition: event.data.definition,
        nextRunAt: event.data.nextRunAt,
        running: undefined,
        updateTokens: { ...generator.updateTokens, [event.data.clientToken]: event.data.requestHash },
      });
    case 'ReportGeneratorDeleted':
      return { status: 'deleted' };
    case 'ReportGeneratorTagged':
      return present({ tags: withTags(generator.tags, event.data.tags) });
    case 'ReportGeneratorUntagged':
      return present({ tags: withoutTags(generator.tags, event.data.tagKeys) });
    case 'ReportRunStarted':
      return present({ running: { runId: event.data.runId, startedAt: event.data.startedAt } });
    case 'ReportRunSucceeded': {
      const { generatedAt, reports, nextRunAt } = event.data;
      return present({
        running: undefined,
        nextRunAt,
        lastRun: { status: 'SUCCESS', at: generatedAt },
        lastReportGenerationTime: generatedAt,
        s3Location: { bucket: reports.bucket, keyPrefix: reports.keyPrefix },
      });
    }
    case 'ReportRunFailed':
      return present({
        running: undefined,
        nextRunAt: event.data.nextRunAt,
        lastRun: { status: 'FAILED', at: event.data.failedAt, reason: event.data.reason },
      });
  }
}

const epochSecondsOf = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso) / 1000);

/** The generator as GetLicenseManagerReportGenerator and ListLicenseManagerReportGenerators answer it. */
export function toReportGeneratorOutput(generator: ReportGeneratorAggregate): LicenseManager.ReportGenerator {
  const { definition, lastRun } = generator;
  return {
    ReportGeneratorName: definition.name,
    ReportType: definition.types,
    ReportContext: {
      licenseConfigurationArns: definition.licenseConfigurationArns,
      licenseAssetGroupArns: definition.licenseAssetGroupArns,
      reportStartDate: epochSecondsOf(definition.reportStartDate),
      reportEndDate: epochSecondsOf(definition.reportEndDate),
    },
    ReportFrequency: definition.frequency,
    LicenseManagerReportGeneratorArn: generator.arn,
    LastRunStatus: lastRun?.status,
    LastRunFailureReason: lastRun?.reason,
    LastReportGenerationTime: generator.lastReportGenerationTime,
    ReportCreatorAccount: generator.accountId,
    Description: definition.description,
    S3Location: generator.s3Location,
    CreateTime: generator.createdAt,
    Tags: generator.tags,
  };
}
