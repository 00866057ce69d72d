import type { LicenseManager } from '@lm/api-model';
import type { CataloguedEvents } from '@lm/contracts';
import type { ReportGeneratorDefinition } from './definition';

/** What makes a retried request the same request: its ClientToken and a hash of everything else. */
export interface Idempotency {
  clientToken: string;
  requestHash: string;
}

/** Where a run's reports went: the bucket and each report's key. */
export interface PublishedReports {
  bucket: string;
  keyPrefix: string;
  keys: string[];
}

export type ReportGeneratorEvent =
  | {
      type: 'ReportGeneratorCreated';
      /** `nextRunAt`: the first run is due at once (the guide: reports begin publishing within the hour). */
      data: {
        arn: string;
        accountId: string;
        region: string;
        definition: ReportGeneratorDefinition;
        tags: LicenseManager.Tag[];
        createdAt: string;
        nextRunAt: string;
      } & Idempotency;
    }
  | {
      type: 'ReportGeneratorUpdated';
      /** A new definition reports at once, as a new generator does. */
      data: { arn: string; definition: ReportGeneratorDefinition; updatedAt: string; nextRunAt: string } & Idempotency;
    }
  | { type: 'ReportGeneratorDeleted'; data: { arn: string; accountId: string; region: string; deletedAt: string } }
  | { type: 'ReportGeneratorTagged'; data: { arn: string; tags: LicenseManager.Tag[] } }
  | { type: 'ReportGeneratorUntagged'; data: { arn: string; tagKeys: string[] } }
  /** A replica took the due run (the append at the version it read is what makes it the only one). */
  | { type: 'ReportRunStarted'; data: { arn: string; runId: string; startedAt: string } }
  | {
      type: 'ReportRunSucceeded';
      /** `nextRunAt`: null once a ONE_TIME generator has run. */
      data: { arn: string; runId: string; generatedAt: string; reports: PublishedReports; nextRunAt: string | null };
    }
  | {
      type: 'ReportRunFailed';
      /** `nextRunAt`: when it is tried again (see retryAfterFailure). */
      data: { arn: string; runId: string; failedAt: string; reason: string; nextRunAt: string };
    };

/** Relayed to lm.events.reporting.*: a type missing from the catalogue of @lm/contracts fails to compile here. */
type _Published = CataloguedEvents<'reporting', ReportGeneratorEvent>;

export const REPORT_GENERATOR_EVENT_TYPES: readonly ReportGeneratorEvent['type'][] = [
  'ReportGeneratorCreated',
  'ReportGeneratorUpdated',
  'ReportGeneratorDeleted',
  'ReportGeneratorTagged',
  'ReportGeneratorUntagged',
  'ReportRunStarted',
  'ReportRunSucceeded',
  'ReportRunFailed',
];
