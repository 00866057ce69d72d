import type { Monitoring } from '@lm/api-model';
import type { AlarmDefinition, ComparisonOperator } from './definition';

/** One evaluation period: its start and its statistic, absent when the period had no data. */
export interface PeriodValue {
  timestamp: Date;
  value?: number;
  sampleCount?: number;
}

/** The state an evaluation gives, with CloudWatch's StateReason and StateReasonData. */
export interface Evaluation {
  state: Monitoring.StateValue;
  reason: string;
  reasonData: string;
}

const COMPARISONS: Record<ComparisonOperator, { test: (value: number, threshold: number) => boolean; says: string }> = {
  GreaterThanOrEqualToThreshold: { test: (v, t) => v >= t, says: 'greater than or equal to' },
  GreaterThanThreshold: { test: (v, t) => v > t, says: 'greater than' },
  LessThanThreshold: { test: (v, t) => v < t, says: 'less than' },
  LessThanOrEqualToThreshold: { test: (v, t) => v <= t, says: 'less than or equal to' },
};

/**
 * CloudWatch's evaluation of the last EvaluationPeriods periods (oldest first), M (DatapointsToAlarm)
 * of N: ALARM when at least M of them breach. Missing periods count as breaching (`breaching`) or
 * not (`notBreaching`); with `missing` and `ignore` only the periods with data count, and when
 * fewer than M have data the alarm goes to ALARM only if all of them breach. With no data at all,
 * `missing` gives INSUFFICIENT_DATA and `ignore` keeps the current state (undefined).
 */
export function evaluate(
  definition: AlarmDefinition,
  periods: readonly PeriodValue[],
  current: Monitoring.StateValue,
  now: Date,
): Evaluation | undefined {
  const comparison = COMPARISONS[definition.comparisonOperator];
  const present = periods.filter((period) => period.value !== undefined);
  const breaching = present.filter((period) => comparison.test(period.value!, definition.threshold));
  const missing = periods.length - present.length;
  const m = definition.datapointsToAlarm;
  const reasonData = (evaluated: readonly PeriodValue[]) => reasonDataOf(definition, periods, evaluated, now);
  let alarm: boolean;
  switch (definition.treatMissingData) {
    case 'breaching':
      alarm = breaching.length + missing >= m;
      break;
    case 'notBreaching':
      alarm = breaching.length >= m;
      break;
    default:
      if (present.length === 0) {
        if (definition.treatMissingData === 'ignore') return undefined;
        return {
          state: 'INSUFFICIENT_DATA',
          reason: `Insufficient Data: ${plural(periods.length, 'datapoint')} ${periods.length === 1 ? 'was' : 'were'} unknown.`,
          reasonData: reasonData([]),
        };
      }
      alarm = present.length >= m ? breaching.length >= m : breaching.length === present.length;
  }
  const shown = alarm ? breaching : present.filter((period) => !breaching.includes(period));
  const state = alarm ? 'ALARM' : 'OK';
  return {
    state,
    reason: thresholdReason(definition, shown, comparison.says, alarm, current),
    reasonData: reasonData(present),
  };
}

function thresholdReason(
  definition: AlarmDefinition,
  shown: readonly PeriodValue[],
  says: string,
  alarm: boolean,
  current: Monitoring.StateValue,
): string {
  const newestFirst = [...shown].reverse();
  const list = `[${newestFirst.map((p) => `${javaDouble(p.value!)} (${reasonTime(p.timestamp)})`).join(', ')}]`;
  const verb = newestFirst.length === 1 ? 'was' : 'were';
  const comparison = `${verb} ${alarm ? '' : 'not '}${says} the threshold (${javaDouble(definition.threshold)})`;
  const n = definition.evaluationPeriods;
  if (n === 1) return `Threshold Crossed: ${plural(newestFirst.length, 'datapoint')} ${list} ${comparison}.`;
  const target = alarm ? 'ALARM' : 'OK';
  const minimum = alarm ? definition.datapointsToAlarm : n - definition.datapointsToAlarm + 1;
  return (
    `Threshold Crossed: ${newestFirst.length} out of the last ${n} datapoints ${list} ${comparison} ` +
    `(minimum ${plural(minimum, 'datapoint')} for ${current} -> ${target} transition).`
  );
}

/** StateReasonData as CloudWatch writes it for a threshold alarm (a JSON document). */
function reasonDataOf(
  definition: AlarmDefinition,
  periods: readonly PeriodValue[],
  evaluated: readonly PeriodValue[],
  now: Date,
): string {
  const newest = [...evaluated].reverse();
  return JSON.stringify({
    version: '1.0',
    queryDate: isoTime(now),
    ...(periods.length > 0 ? { startDate: isoTime(periods[0].timestamp) } : {}),
    statistic: definition.statistic,
    period: definition.period,
    recentDatapoints: newest.map((p) => p.value),
    threshold: definition.threshold,
    evaluatedDatapoints: newest.map((p) => ({
      timestamp: isoTime(p.timestamp),
      ...(p.sampleCount !== undefined ? { sampleCount: p.sampleCount } : {}),
      value: p.value,
    })),
  });
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** Numbers as CloudWatch's reasons print them (Java's doubles: 80.0, 12.5). */
const javaDouble = (value: number) => (Number.isInteger(value) ? value.toFixed(1) : String(value));

/** CloudWatch's reason timestamps: dd/MM/yy HH:mm:ss, UTC. */
function reasonTime(time: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${two(time.getUTCDate())}/${two(time.getUTCMonth() + 1)}/${two(time.getUTCFullYear() % 100)} ` +
    `${two(time.getUTCHours())}:${two(time.getUTCMinutes())}:${two(time.getUTCSeconds())}`
  );
}

/** CloudWatch's JSON timestamps: 2026-12-02T05:30:00.000+0000. */
export const isoTime = (time: Date) => time.toISOString().replace('Z', '+0000');
