import type { Monitoring } from '@lm/api-model';
import { STATISTICS, type Statistic } from '../../usage-metrics/domain/statistics';
import { invalidRequest } from './errors';

export const COMPARISON_OPERATORS = [
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

/** CloudWatch's four treatments of missing data points; `missing` is its default. */
export const TREATMENTS = ['breaching', 'notBreaching', 'ignore', 'missing'] as const;
export type TreatMissingData = (typeof TREATMENTS)[number];

/** CloudWatch: an alarm's evaluation range (Period x EvaluationPeriods) is at most one day. */
export const MAX_EVALUATION_RANGE_SECONDS = 86_400;

/** A metric alarm's configuration, as PutMetricAlarm sets it (and replaces it whole). */
export interface AlarmDefinition {
  description?: string;
  actionsEnabled: boolean;
  okActions: string[];
  alarmActions: string[];
  insufficientDataActions: string[];
  namespace: string;
  metricName: string;
  dimensions: Monitoring.Dimension[];
  statistic: Statistic;
  /** Seconds, a multiple of 60. */
  period: number;
  unit?: Monitoring.StandardUnit;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  threshold: number;
  comparisonOperator: ComparisonOperator;
  treatMissingData: TreatMissingData;
  tags: Monitoring.Tag[];
}

/** Every action of the alarm, of any state. */
export const actionsOf = (definition: AlarmDefinition) => [
  ...definition.alarmActions,
  ...definition.okActions,
  ...definition.insufficientDataActions,
];

/**
 * The alarm a PutMetricAlarm asks for, checked as CloudWatch checks it (the gateway already checked
 * the model's lengths, ranges and enumerations). What this deployment cannot evaluate (metric math,
 * percentiles, anomaly detection, actions other than SNS topics) is refused, saying why.
 */
export function definitionOf(input: Monitoring.PutMetricAlarmInput, region: string): AlarmDefinition {
  checkName(input.AlarmName);
  if (input.Metrics !== undefined || input.ThresholdMetricId !== undefined || input.EvaluationCriteria !== undefined)
    throw invalidRequest(
      'Alarms on metric math, anomaly detection or PromQL are not supported here: give MetricName, Namespace, Statistic and Threshold.',
    );
  if (input.EvaluationInterval !== undefined)
    throw invalidRequest('EvaluationInterval applies to PromQL alarms only, which are not supported here.');
  const namespace = required(input.Namespace, 'Namespace');
  const metricName = required(input.MetricName, 'MetricName');
  const statistic = statisticOf(input);
  const period = required(input.Period, 'Period');
  if (!Number.isInteger(period) || period < 60 || period % 60 !== 0)
    throw invalidRequest(
      'The parameter Period must be a multiple of 60: the License Manager metrics have one-minute resolution (10, 20 and 30 seconds are for high-resolution metrics).',
    );
  const evaluationPeriods = required(input.EvaluationPeriods, 'EvaluationPeriods');
  if (period * evaluationPeriods > MAX_EVALUATION_RANGE_SECONDS)
    throw invalidRequest(
      `The product of EvaluationPeriods and Period must not exceed ${MAX_EVALUATION_RANGE_SECONDS} seconds (one day).`,
    );
  const datapointsToAlarm = input.DatapointsToAlarm ?? evaluationPeriods;
  if (datapointsToAlarm > evaluationPeriods)
    throw invalidRequest('DatapointsToAlarm must be less than or equal to EvaluationPeriods.');
  const threshold = asDouble(required(input.Threshold, 'Threshold'));
  if (!Number.isFinite(threshold)) throw invalidRequest('The parameter Threshold must be a finite number.');
  const comparisonOperator = required(input.ComparisonOperator, 'ComparisonOperator');
  if (!(COMPARISON_OPERATORS as readonly string[]).includes(comparisonOperator))
    throw invalidRequest(
      `The ComparisonOperator ${comparisonOperator} needs an anomaly detection band (ThresholdMetricId), which is not supported here.`,
    );
  const treatMissingData = input.TreatMissingData ?? 'missing';
  if (!(TREATMENTS as readonly string[]).includes(treatMissingData))
    throw invalidRequest(
      `The parameter TreatMissingData must be one of breaching, notBreaching, ignore or missing, not ${treatMissingData}.`,
    );
  const dimensions = input.Dimensions ?? [];
  if (new Set(dimensions.map((d) => d.Name)).size !== dimensions.length)
    throw invalidRequest('The Dimensions must have distinct names.');
  const okActions = checkedActions(input.OKActions, 'OKActions', region);
  const alarmActions = checkedActions(input.AlarmActions, 'AlarmActions', region);
  const insufficientDataActions = checkedActions(input.InsufficientDataActions, 'InsufficientDataActions', region);
  const tags = input.Tags ?? [];
  if (new Set(tags.map((tag) => tag.Key)).size !== tags.length)
    throw invalidRequest('The Tags must have distinct keys.');
  return {
    ...(input.AlarmDescription !== undefined ? { description: input.AlarmDescription } : {}),
    actionsEnabled: input.ActionsEnabled ?? true,
    okActions,
    alarmActions,
    insufficientDataActions,
    namespace,
    metricName,
    dimensions,
    statistic,
    period,
    ...(input.Unit !== undefined ? { unit: input.Unit } : {}),
    evaluationPeriods,
    datapointsToAlarm,
    threshold,
    comparisonOperator: comparisonOperator as ComparisonOperator,
    treatMissingData: treatMissingData as TreatMissingData,
    tags,
  };
}

/** CloudWatch: alarm names are UTF-8 without ASCII control characters (and 1 to 255 characters, the model's). */
/**
 * The definition as an event holds it, its threshold a double again: JSON writes a double from
 * 1e21 down to 2^53 as integer digits, and PostgreSQL's jsonb writes any integral one so (1e300
 * as 301 digits), which the exact JSON of NATS and the event store reads back as a bigint
 * (PutMetricAlarm with a Threshold of 1e300 answered 500, JSON.stringify failing on it in the
 * history item; with 1e20 it was refused as not finite. Found by test/chaos/model-fuzzer.test.ts).
 */
export const definitionAsRead = (definition: AlarmDefinition): AlarmDefinition => ({
  ...definition,
  threshold: asDouble(definition.threshold),
});

/** A double that may have crossed a hop as integer digits (a bigint): the nearest double, as CloudWatch keeps it. */
const asDouble = (value: number | bigint): number => Number(value);

export function checkName(name: string): void {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name))
    throw invalidRequest('The parameter AlarmName must not contain ASCII control characters.');
}

function required<T>(value: T | undefined, member: string): T {
  if (value === undefined) throw invalidRequest(`The parameter ${member} is required.`);
  return value;
}

function statisticOf(input: Monitoring.PutMetricAlarmInput): Statistic {
  if (input.Statistic !== undefined && input.ExtendedStatistic !== undefined)
    throw invalidRequest('Exactly one of Statistic and ExtendedStatistic must be given, not both.');
  if (input.ExtendedStatistic !== undefined)
    throw invalidRequest(
      'ExtendedStatistic (percentiles) is not available for the License Manager usage metrics; use Statistic.',
    );
  if (input.EvaluateLowSampleCountPercentile !== undefined)
    throw invalidRequest('EvaluateLowSampleCountPercentile applies to percentile alarms only.');
  if (input.Statistic === undefined)
    throw invalidRequest('Exactly one of Statistic and ExtendedStatistic must be given.');
  if (!(STATISTICS as readonly string[]).includes(input.Statistic))
    throw invalidRequest(`The statistic ${input.Statistic} is not valid.`);
  return input.Statistic;
}

const SNS_TOPIC = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):[A-Za-z0-9_-]{1,256}$/;

/**
 * Actions are SNS topics (notified through the notifications outbox) of this Region; the other
 * action kinds of CloudWatch (EC2, Auto Scaling, Lambda, Systems Manager) have nothing to act on here.
 */
function checkedActions(actions: readonly string[] | undefined, member: string, region: string): string[] {
  const checked = [...new Set(actions ?? [])];
  for (const action of checked) {
    const match = SNS_TOPIC.exec(action);
    if (!match)
      throw invalidRequest(
        `Invalid action ${action} in ${member}: only SNS topic ARNs (arn:aws:sns:<region>:<account>:<topic>) are supported.`,
      );
    if (match[1] !== region)
      throw invalidRequest(
        `Invalid action ${action} in ${member}: the topic must be in the alarm's Region (${region}).`,
      );
  }
  return checked;
}
