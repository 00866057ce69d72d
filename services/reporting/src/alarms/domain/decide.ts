import type { Decider } from '@lm/event-store';
import { alarmArn, evolveAlarm, initialAlarmState, type AlarmState, type MetricAlarmState } from './alarm';
import type { AlarmCommand } from './commands';
import type { AlarmDefinition } from './definition';
import { alarmNotFound } from './errors';
import type { AlarmEvent } from './events';

function identity(command: AlarmCommand) {
  const { accountId, region, alarmName } = command;
  return { arn: alarmArn(region, accountId, alarmName), accountId, region, alarmName };
}

function ownAlarm(state: AlarmState, command: AlarmCommand): MetricAlarmState {
  if (state.status !== 'present') throw alarmNotFound(command.alarmName);
  return state.alarm;
}

/** The actions of a new state, taken only when actions are enabled. */
function actionsFor(definition: AlarmDefinition, state: MetricAlarmState['stateValue']): string[] {
  if (!definition.actionsEnabled) return [];
  if (state === 'ALARM') return definition.alarmActions;
  if (state === 'OK') return definition.okActions;
  return definition.insufficientDataActions;
}

/** What an evaluation depends on: the metric, statistic, periods, threshold and treatment (not the actions). */
function criteriaOf(definition: AlarmDefinition) {
  const {
    actionsEnabled: _enabled,
    okActions: _ok,
    alarmActions: _alarm,
    insufficientDataActions: _insufficient,
    description: _description,
    tags: _tags,
    ...criteria
  } = definition;
  return criteria;
}

const sameCriteria = (a: AlarmDefinition, b: AlarmDefinition) =>
  JSON.stringify(criteriaOf(a)) === JSON.stringify(criteriaOf(b));

export function decideAlarm(command: AlarmCommand, state: AlarmState): AlarmEvent[] {
  const at = command.now.toISOString();
  switch (command.type) {
    case 'PutMetricAlarm':
      return [
        {
          type: 'AlarmConfigured',
          data: { ...identity(command), definition: command.definition, created: state.status !== 'present', at },
        },
      ];
    case 'DeleteAlarm':
      ownAlarm(state, command);
      return [{ type: 'AlarmDeleted', data: { ...identity(command), at } }];
    case 'EnableAlarmActions':
    case 'DisableAlarmActions': {
      // CloudWatch ignores names of alarms that do not exist, and a setting already in place.
      if (state.status !== 'present') return [];
      const enable = command.type === 'EnableAlarmActions';
      if (state.alarm.definition.actionsEnabled === enable) return [];
      return [{ type: enable ? 'AlarmActionsEnabled' : 'AlarmActionsDisabled', data: { ...identity(command), at } }];
    }
    case 'SetAlarmState': {
      const alarm = ownAlarm(state, command);
      if (alarm.stateValue === command.stateValue) return [];
      return [
        stateChanged(command, alarm, alarm.definition, {
          state: command.stateValue,
          reason: command.reason,
          reasonData: command.reasonData,
          cause: 'SetAlarmState',
        }),
      ];
    }
    case 'RecordEvaluation': {
      // Deleted, reconfigured since it was read, or already in that state: nothing to record.
      if (state.status !== 'present') return [];
      const alarm = state.alarm;
      if (!sameCriteria(alarm.definition, command.evaluatedWith)) return [];
      if (alarm.stateValue === command.evaluation.state) return [];
      return [
        stateChanged(command, alarm, alarm.definition, {
          state: command.evaluation.state,
          reason: command.evaluation.reason,
          reasonData: command.evaluation.reasonData,
          cause: 'evaluation',
        }),
      ];
    }
  }
}

function stateChanged(
  command: AlarmCommand,
  alarm: MetricAlarmState,
  definition: AlarmDefinition,
  change: {
    state: MetricAlarmState['stateValue'];
    reason: string;
    reasonData?: string;
    cause: 'evaluation' | 'SetAlarmState';
  },
): AlarmEvent {
  return {
    type: 'AlarmStateChanged',
    data: {
      ...identity(command),
      oldState: alarm.stateValue,
      oldReason: alarm.stateReason,
      newState: change.state,
      reason: change.reason,
      ...(change.reasonData !== undefined ? { reasonData: change.reasonData } : {}),
      cause: change.cause,
      definition,
      actions: actionsFor(definition, change.state),
      at: command.now.toISOString(),
    },
  };
}

export const alarmDecider: Decider<AlarmCommand, AlarmEvent, AlarmState> = {
  initialState: initialAlarmState,
  evolve: evolveAlarm,
  decide: decideAlarm,
};
