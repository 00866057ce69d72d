import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { handleCommand, type EventStore } from '@lm/event-store';
import { CLOCK, CONFIG, DATABASE, EVENT_STORE, type Clock, type Sweep } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { parseReportGeneratorArn } from '../domain/arn';
import type { RunOutcome } from '../domain/commands';
import { reportGeneratorDecider, reportGeneratorStream } from '../domain/decide';
import { REPORTING_SCHEMA } from '../../shared/schema';
import { ReportRun } from './report-run';
import type { ReportGeneratorViews } from './report-generator.views';

/** The sweep's settings (see reportGeneratorsSettings). */
interface RunSettings {
  reportRunStaleMs: number;
  reportRetryMs: number;
}

/** Generators due per sweep: the next sweep takes the rest. */
const BATCH = 50;

/**
 * Runs every generator that is due: a new or updated one at once, the others at their frequency.
 * A run is taken by appending ReportRunStarted at the version read, so that of several replicas
 * one runs it; its outcome is appended when it ends.
 */
@Injectable()
export class ReportGeneratorSweep implements Sweep {
  private readonly logger = new Logger('ReportGeneratorSweep');
  private readonly db: Kysely<ReportGeneratorViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<ReportGeneratorViews>,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CONFIG) private readonly config: RunSettings,
    private readonly reports: ReportRun,
  ) {
    this.db = db.withSchema(REPORTING_SCHEMA);
  }

  /** The number of runs this sweep made. */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    const due = await this.db
      .selectFrom('report_generators')
      .select('arn')
      .where('next_run_at', '<=', now)
      .orderBy('next_run_at')
      .limit(BATCH)
      .execute();
    let runs = 0;
    for (const { arn } of due) if (await this.runIfDue(arn, now)) runs++;
    return runs;
  }

  private async runIfDue(arn: string, now: Date): Promise<boolean> {
    const stream = reportGeneratorStream(parseReportGeneratorArn(arn)!.id);
    const runId = randomUUID();
    const { state } = await handleCommand(this.store, stream, reportGeneratorDecider, {
      type: 'StartReportRun',
      arn,
      runId,
      now,
      staleAfterMs: this.config.reportRunStaleMs,
    });
    if (state.status !== 'present' || state.generator.running?.runId !== runId) return false;
    const outcome: RunOutcome = await this.reports.run(state.generator, runId, now);
    if (outcome.status === 'FAILED') this.logger.warn(`report run of ${arn} failed: ${outcome.reason}`);
    await handleCommand(this.store, stream, reportGeneratorDecider, {
      type: 'FinishReportRun',
      arn,
      runId,
      now: this.clock.now(),
      outcome,
      retryAfterMs: this.config.reportRetryMs,
    });
    return true;
  }
}
