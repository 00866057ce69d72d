import type { Monitoring } from '@lm/api-model';
import type { AlarmDefinition } from './definition';
import type { Evaluation } from './evaluation';

/** Every command names the alarm by its caller's account, the Region and its name. */
interface Target {
  accountId: string;
  region: string;
  alarmName: string;
  now: Date;
}

export type AlarmCommand =
  | (Target & { type: 'PutMetricAlarm'; definition: AlarmDefinition })
  | (Target & { type: 'DeleteAlarm' })
  | (Target & { type: 'EnableAlarmActions' })
  | (Target & { type: 'DisableAlarmActions' })
  | (Target & { type: 'SetAlarmState'; stateValue: Monitoring.StateValue; reason: string; reasonData?: string })
  /**
   * An evaluation's outcome, decided on the state it is appended after: of replicas evaluating at
   * once, one changes the state (the others' appends conflict, and on the new state they decide
   * nothing), so one change is notified once.
   */
  | (Target & { type: 'RecordEvaluation'; evaluation: Evaluation; evaluatedWith: AlarmDefinition });
