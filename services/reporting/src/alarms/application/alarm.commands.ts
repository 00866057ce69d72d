import { Inject, Injectable } from '@nestjs/common';
import type { Monitoring } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import { handleCommand, type EventStore } from '@lm/event-store';
import { CLOCK, DATABASE, EVENT_STORE, REGION, type Clock } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { alarmStream } from '../domain/alarm';
import type { AlarmCommand } from '../domain/commands';
import { alarmDecider } from '../domain/decide';
import { checkName, definitionOf } from '../domain/definition';
import { alarmNotFound, invalidFormat } from '../domain/errors';
import { REPORTING_SCHEMA } from '../../shared/schema';
import type { AlarmViews } from './alarm.views';

type DistributiveOmit<T, K extends keyof any> = T extends unknown ? Omit<T, K> : never;
type CallerCommand = DistributiveOmit<AlarmCommand, 'accountId' | 'region' | 'alarmName' | 'now'>;

/** The alarm operations that change alarms, always on the caller's own account's alarms in this Region. */
@Injectable()
export class AlarmCommands {
  private readonly db: Kysely<AlarmViews>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DATABASE) db: Kysely<AlarmViews>,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(REGION) private readonly region: string,
  ) {
    this.db = db.withSchema(REPORTING_SCHEMA);
  }

  /** Creates the alarm, or replaces the configuration of the caller's alarm of that name (its state stays). */
  async put(caller: Caller, input: Monitoring.PutMetricAlarmInput): Promise<Record<string, never>> {
    const definition = definitionOf(input, this.region);
    await this.on(caller, input.AlarmName, { type: 'PutMetricAlarm', definition });
    return {};
  }

  /** CloudWatch: if any of the alarms does not exist, none is deleted. */
  async delete(caller: Caller, input: Monitoring.DeleteAlarmsInput): Promise<Record<string, never>> {
    const names = [...new Set(input.AlarmNames)];
    const existing = new Set(await this.existing(caller, names));
    const unknown = names.find((name) => !existing.has(name));
    if (unknown !== undefined) throw alarmNotFound(unknown);
    for (const name of names) await this.on(caller, name, { type: 'DeleteAlarm' });
    return {};
  }

  /** Sets a state until the next evaluation sets it by the data (CloudWatch's SetAlarmState, for testing actions). */
  async setState(caller: Caller, input: Monitoring.SetAlarmStateInput): Promise<Record<string, never>> {
    if (input.StateReasonData !== undefined) {
      try {
        JSON.parse(input.StateReasonData);
      } catch {
        throw invalidFormat('The parameter StateReasonData must be a JSON document.');
      }
    }
    checkName(input.AlarmName);
    await this.on(caller, input.AlarmName, {
      type: 'SetAlarmState',
      stateValue: input.StateValue,
      reason: input.StateReason,
      ...(input.StateReasonData !== undefined ? { reasonData: input.StateReasonData } : {}),
    });
    return {};
  }

  /** Names of alarms that do not exist are ignored, as CloudWatch ignores them. */
  async setActionsEnabled(caller: Caller, names: string[], enabled: boolean): Promise<Record<string, never>> {
    for (const name of await this.existing(caller, [...new Set(names)]))
      await this.on(caller, name, { type: enabled ? 'EnableAlarmActions' : 'DisableAlarmActions' });
    return {};
  }

  private async existing(caller: Caller, names: string[]): Promise<string[]> {
    if (names.length === 0) return [];
    const rows = await this.db
      .selectFrom('alarms')
      .select('alarm_name')
      .where('account_id', '=', caller.accountId)
      .where('region', '=', this.region)
      .where('alarm_name', 'in', names)
      .execute();
    return rows.map((row) => row.alarm_name);
  }

  private on(caller: Caller, alarmName: string, command: CallerCommand) {
    return handleCommand(this.store, alarmStream(caller.accountId, this.region, alarmName), alarmDecider, {
      ...command,
      accountId: caller.accountId,
      region: this.region,
      alarmName,
      now: this.clock.now(),
    } as AlarmCommand);
  }
}
