import type { ReportPeriod } from './definition';

const DAY_MS = 24 * 3600_000;

/**
 * The console's frequencies: once every 24 hours, 7 days or 30 days. A ONE_TIME generator runs
 * once: after its run nothing is due.
 */
const PERIOD_MS: Record<Exclude<ReportPeriod, 'ONE_TIME'>, number> = {
  DAY: DAY_MS,
  WEEK: 7 * DAY_MS,
  MONTH: 30 * DAY_MS,
};

/** When the run after one that started at `startedAt` is due; null when none is. */
export function nextRunAfter(period: ReportPeriod, startedAt: Date): Date | null {
  return period === 'ONE_TIME' ? null : new Date(startedAt.getTime() + PERIOD_MS[period]);
}

/**
 * When a run that failed at `failedAt` is tried again: `retryAfterMs` later (a bucket set since, or
 * a service that was restarting, then gets its report written), or at the next period if sooner.
 * A ONE_TIME generator too is tried again until its one report is written.
 */
export function retryAfterFailure(nextRun: Date | null, failedAt: Date, retryAfterMs: number): Date {
  const retry = new Date(failedAt.getTime() + retryAfterMs);
  return nextRun !== null && nextRun < retry ? nextRun : retry;
}
