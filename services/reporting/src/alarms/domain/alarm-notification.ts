import type { Notification } from '../../notifications/domain/notification';
import { subjectOf } from '../../notifications/domain/notification';
import { definitionAsRead } from './definition';
import type { AlarmEvent } from './events';
import { isoTime } from './evaluation';

type StateChanged = Extract<AlarmEvent, { type: 'AlarmStateChanged' }>['data'];

/**
 * What CloudWatch publishes to an alarm action's SNS topic on a change of state: its alarm
 * notification JSON (the Region as its code here) under the subject `ALARM: "name" in region`.
 * `sourceId` (the change's event id) makes publishing it again change nothing.
 */
export function alarmNotification(change: StateChanged, topicArn: string, eventId: string, now: Date): Notification {
  const d = definitionAsRead(change.definition);
  return {
    sourceId: `alarm-state-change:${eventId}`,
    topicArn,
    subject: subjectOf(`${change.newState}: "${change.alarmName}" in ${change.region}`),
    message: {
      AlarmName: change.alarmName,
      AlarmDescription: d.description ?? null,
      AWSAccountId: change.accountId,
      AlarmConfigurationUpdatedTimestamp: null,
      NewStateValue: change.newState,
      NewStateReason: change.reason,
      StateChangeTime: isoTime(new Date(change.at)),
      Region: change.region,
      AlarmArn: change.arn,
      OldStateValue: change.oldState,
      OKActions: d.okActions,
      AlarmActions: d.alarmActions,
      InsufficientDataActions: d.insufficientDataActions,
      Trigger: {
        MetricName: d.metricName,
        Namespace: d.namespace,
        StatisticType: 'Statistic',
        Statistic: d.statistic.toUpperCase(),
        Unit: d.unit ?? null,
        Dimensions: d.dimensions.map((dimension) => ({ value: dimension.Value, name: dimension.Name })),
        Period: d.period,
        EvaluationPeriods: d.evaluationPeriods,
        DatapointsToAlarm: d.datapointsToAlarm,
        ComparisonOperator: d.comparisonOperator,
        Threshold: d.threshold,
        TreatMissingData: d.treatMissingData,
        EvaluateLowSampleCountPercentile: '',
      },
    },
    publishedAt: now,
  };
}
