import type { Monitoring } from '@lm/api-model';
import { metricAlarmOf, type MetricAlarmState } from './alarm';
import type { AlarmEvent } from './events';

/** One DescribeAlarmHistory item, as an event writes it. */
export interface HistoryItem {
  type: Monitoring.HistoryItemType;
  summary: string;
  data: string;
}

/**
 * CloudWatch's history item of an event: ConfigurationUpdate for a creation, update, deletion or
 * a change of ActionsEnabled (HistoryData the alarm before and after), StateUpdate for a change of
 * state (HistoryData the old and new state with their reasons). `before` is the alarm's state
 * before the event.
 */
export function historyItemOf(
  event: AlarmEvent,
  before: MetricAlarmState | undefined,
  after: MetricAlarmState | undefined,
): HistoryItem {
  const name = event.data.alarmName;
  const configuration = (type: string, summary: string): HistoryItem => ({
    type: 'ConfigurationUpdate',
    summary,
    data: JSON.stringify({
      version: '1.0',
      type,
      ...(before ? { originalAlarm: metricAlarmOf(before) } : {}),
      ...(after ? { updatedAlarm: metricAlarmOf(after) } : {}),
    }),
  });
  switch (event.type) {
    case 'AlarmConfigured':
      return event.data.created
        ? configuration('Create', `Alarm "${name}" created`)
        : configuration('Update', `Alarm "${name}" updated`);
    case 'AlarmDeleted':
      return configuration('Delete', `Alarm "${name}" deleted`);
    case 'AlarmActionsEnabled':
    case 'AlarmActionsDisabled':
      return configuration('Update', `Alarm "${name}" updated`);
    case 'AlarmStateChanged': {
      const { oldState, oldReason, newState, reason, reasonData } = event.data;
      return {
        type: 'StateUpdate',
        summary: `Alarm updated from ${oldState} to ${newState}`,
        data: JSON.stringify({
          version: '1.0',
          oldState: { stateValue: oldState, stateReason: oldReason },
          newState: {
            stateValue: newState,
            stateReason: reason,
            ...(reasonData !== undefined ? { stateReasonData: JSON.parse(reasonData) as unknown } : {}),
          },
        }),
      };
    }
  }
}
