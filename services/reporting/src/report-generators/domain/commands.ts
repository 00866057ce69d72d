import type { LicenseManager } from '@lm/api-model';
import type { ReportGeneratorDefinition } from './definition';
import type { Idempotency, PublishedReports } from './events';

/** Whose generator, asked when: every command of a caller is scoped to its account. */
interface Context {
  arn: string;
  accountId: string;
  now: Date;
}

/** How a run ended, as the service tells the decider. */
export type RunOutcome = ({ status: 'SUCCESS' } & PublishedReports) | { status: 'FAILED'; reason: string };

export type ReportGeneratorCommand =
  | ({
      type: 'CreateReportGenerator';
      region: string;
      definition: ReportGeneratorDefinition;
      tags: LicenseManager.Tag[];
    } & Context &
      Idempotency)
  | ({ type: 'UpdateReportGenerator'; definition: ReportGeneratorDefinition } & Context & Idempotency)
  | ({ type: 'DeleteReportGenerator' } & Context)
  | ({ type: 'TagReportGenerator'; tags: LicenseManager.Tag[] } & Context)
  | ({ type: 'UntagReportGenerator'; tagKeys: string[] } & Context)
  /**
   * The service's own: run the generator if it is due. A run started more than `staleAfterMs`
   * ago that never finished (its replica died) is taken over.
   */
  | { type: 'StartReportRun'; arn: string; runId: string; now: Date; staleAfterMs: number }
  /** `retryAfterMs`: a failed run is tried again this long after it ended, unless the next period comes sooner. */
  | { type: 'FinishReportRun'; arn: string; runId: string; now: Date; outcome: RunOutcome; retryAfterMs: number };
