import { createHash } from 'node:crypto';
import type { Monitoring } from '@lm/api-model';
import { definitionAsRead, type AlarmDefinition } from './definition';
import type { AlarmEvent, AlarmIdentity } from './events';

export interface MetricAlarmState extends AlarmIdentity {
  definition: AlarmDefinition;
  configurationUpdatedAt: string;
  stateValue: Monitoring.StateValue;
  stateReason: string;
  stateReasonData?: string;
  stateUpdatedAt: string;
}

export type AlarmState = { status: 'absent' } | { status: 'present'; alarm: MetricAlarmState };

export const initialAlarmState = (): AlarmState => ({ status: 'absent' });

/** An alarm as the alarms view's jsonb gives it back: its threshold a double again (see definitionAsRead). */
export const alarmAsRead = (alarm: MetricAlarmState): MetricAlarmState => ({
  ...alarm,
  definition: definitionAsRead(alarm.definition),
});

/** An alarm's stream: one per account, Region and name (a name is the alarm's identity in CloudWatch). */
export function alarmStream(accountId: string, region: string, name: string): string {
  return `alarm-${createHash('sha256').update(`${accountId}\n${region}\n${name}`).digest('hex').slice(0, 40)}`;
}

export const alarmArn = (region: string, accountId: string, name: string) =>
  `arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}`;

/** CloudWatch's reason for a new alarm, until its first evaluation. */
export const INITIAL_REASON = 'Unchecked: Initial alarm creation';

export function evolveAlarm(state: AlarmState, event: AlarmEvent): AlarmState {
  switch (event.type) {
    case 'AlarmConfigured': {
      const { definition: configured, at, created, ...identity } = event.data;
      const definition = definitionAsRead(configured);
      if (created || state.status !== 'present')
        return {
          status: 'present',
          alarm: {
            ...identity,
            definition,
            configurationUpdatedAt: at,
            stateValue: 'INSUFFICIENT_DATA',
            stateReason: INITIAL_REASON,
            stateUpdatedAt: at,
          },
        };
      // An update keeps the alarm's state, as CloudWatch does.
      return { status: 'present', alarm: { ...state.alarm, definition, configurationUpdatedAt: at } };
    }
    case 'AlarmDeleted':
      return { status: 'absent' };
    case 'AlarmActionsEnabled':
    case 'AlarmActionsDisabled':
      if (state.status !== 'present') return state;
      return {
        status: 'present',
        alarm: {
          ...state.alarm,
          definition: { ...state.alarm.definition, actionsEnabled: event.type === 'AlarmActionsEnabled' },
        },
      };
    case 'AlarmStateChanged': {
      if (state.status !== 'present') return state;
      const { newState, reason, reasonData, at } = event.data;
      const { stateReasonData: _previous, ...alarm } = state.alarm;
      return {
        status: 'present',
        alarm: {
          ...alarm,
          stateValue: newState,
          stateReason: reason,
          ...(reasonData !== undefined ? { stateReasonData: reasonData } : {}),
          stateUpdatedAt: at,
        },
      };
    }
  }
}

const seconds = (iso: string) => Date.parse(iso) / 1000;

/** The alarm as DescribeAlarms answers it. */
export function metricAlarmOf(alarm: MetricAlarmState): Monitoring.MetricAlarm {
  const d = alarm.definition;
  return {
    AlarmName: alarm.alarmName,
    AlarmArn: alarm.arn,
    ...(d.description !== undefined ? { AlarmDescription: d.description } : {}),
    AlarmConfigurationUpdatedTimestamp: seconds(alarm.configurationUpdatedAt),
    ActionsEnabled: d.actionsEnabled,
    OKActions: d.okActions,
    AlarmActions: d.alarmActions,
    InsufficientDataActions: d.insufficientDataActions,
    StateValue: alarm.stateValue,
    StateReason: alarm.stateReason,
    ...(alarm.stateReasonData !== undefined ? { StateReasonData: alarm.stateReasonData } : {}),
    StateUpdatedTimestamp: seconds(alarm.stateUpdatedAt),
    StateTransitionedTimestamp: seconds(alarm.stateUpdatedAt),
    MetricName: d.metricName,
    Namespace: d.namespace,
    Statistic: d.statistic,
    Dimensions: d.dimensions,
    Period: d.period,
    ...(d.unit !== undefined ? { Unit: d.unit } : {}),
    EvaluationPeriods: d.evaluationPeriods,
    DatapointsToAlarm: d.datapointsToAlarm,
    Threshold: d.threshold,
    ComparisonOperator: d.comparisonOperator,
    TreatMissingData: d.treatMissingData,
  };
}
