import type { Monitoring } from '@lm/api-model';
import type { CataloguedEvents } from '@lm/contracts';
import type { AlarmDefinition } from './definition';

/** Who an alarm's events are about: its account, Region, name and ARN. */
export interface AlarmIdentity {
  arn: string;
  accountId: string;
  region: string;
  alarmName: string;
}

export type AlarmEvent =
  /** Created (`created`) or updated: PutMetricAlarm replaces the whole configuration. */
  | { type: 'AlarmConfigured'; data: AlarmIdentity & { definition: AlarmDefinition; created: boolean; at: string } }
  | { type: 'AlarmDeleted'; data: AlarmIdentity & { at: string } }
  | { type: 'AlarmActionsEnabled'; data: AlarmIdentity & { at: string } }
  | { type: 'AlarmActionsDisabled'; data: AlarmIdentity & { at: string } }
  | {
      type: 'AlarmStateChanged';
      /**
       * `actions`: the topics to notify of it (the new state's actions, none while actions are
       * disabled); `definition` the configuration it was evaluated with, which the notification tells.
       */
      data: AlarmIdentity & {
        oldState: Monitoring.StateValue;
        oldReason: string;
        newState: Monitoring.StateValue;
        reason: string;
        reasonData?: string;
        /** `SetAlarmState` when a caller set it, `evaluation` otherwise. */
        cause: 'evaluation' | 'SetAlarmState';
        definition: AlarmDefinition;
        actions: string[];
        at: string;
      };
    };

/** Relayed to lm.events.reporting.*: a type missing from the catalogue of @lm/contracts fails to compile here. */
type _Published = CataloguedEvents<'reporting', AlarmEvent>;

export const ALARM_EVENT_TYPES: readonly AlarmEvent['type'][] = [
  'AlarmConfigured',
  'AlarmDeleted',
  'AlarmActionsEnabled',
  'AlarmActionsDisabled',
  'AlarmStateChanged',
];
