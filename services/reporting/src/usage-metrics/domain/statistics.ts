import { invalidParameterValue } from '@lm/contracts';
import { invalidParameterCombination } from './errors';

export const STATISTICS = ['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount'] as const;
export type Statistic = (typeof STATISTICS)[number];

/** CloudWatch's limit of data points one GetMetricStatistics answers. */
export const MAX_STATISTICS_DATAPOINTS = 1440;

/** The samples of one period, as a statistic set. */
export interface StatisticSet {
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
}

export function statisticValue(set: StatisticSet, statistic: Statistic): number {
  switch (statistic) {
    case 'Average':
      return set.sum / set.sampleCount;
    case 'Sum':
      return set.sum;
    case 'Minimum':
      return set.minimum;
    case 'Maximum':
      return set.maximum;
    case 'SampleCount':
      return set.sampleCount;
  }
}

export function isStatistic(value: string): value is Statistic {
  return (STATISTICS as readonly string[]).includes(value);
}

/** Periods are whole minutes: the finest data kept is one minute's (no high-resolution metrics here). */
export function checkPeriod(period: number, member = 'Period'): void {
  if (!Number.isInteger(period) || period <= 0 || period % 60 !== 0)
    throw invalidParameterValue(`The parameter ${member} must be a multiple of 60.`);
}

export function checkTimeRange(start: Date, end: Date): void {
  if (start.getTime() >= end.getTime())
    throw invalidParameterValue('The parameter StartTime must be less than the parameter EndTime.');
}

/**
 * Where a query's periods start: the start time rounded down to the minute, as CloudWatch rounds
 * recent start times; periods follow each other from there.
 */
export function alignedStart(start: Date): Date {
  return new Date(Math.floor(start.getTime() / 60_000) * 60_000);
}

/** How many periods a range covers: at most 1440 in one GetMetricStatistics. */
export function checkDatapointCount(start: Date, end: Date, period: number): void {
  const requested = Math.ceil((end.getTime() - alignedStart(start).getTime()) / (period * 1000));
  if (requested > MAX_STATISTICS_DATAPOINTS)
    throw invalidParameterCombination(
      `You have requested up to ${requested} datapoints, which exceeds the limit of ${MAX_STATISTICS_DATAPOINTS}. ` +
        'You may reduce the datapoints requested by increasing Period, or decreasing the time range.',
    );
}

/** GetMetricStatistics' statistics: at least one of Statistics or ExtendedStatistics, and percentiles are not kept here. */
export function checkRequestedStatistics(
  statistics: readonly string[] = [],
  extended: readonly string[] = [],
): Statistic[] {
  if (statistics.length === 0 && extended.length === 0)
    throw invalidParameterCombination('Must specify either Statistics or ExtendedStatistics.');
  if (extended.length > 0)
    throw invalidParameterValue(
      'ExtendedStatistics (percentiles) are not available for the License Manager usage metrics; use Statistics.',
    );
  const unknown = statistics.find((statistic) => !isStatistic(statistic));
  if (unknown !== undefined) throw invalidParameterValue(`The statistic ${unknown} is not valid.`);
  return statistics as Statistic[];
}
