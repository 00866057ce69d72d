import { defineProjection } from '@lm/event-store';
import type { Transaction } from 'kysely';
import { alarmAsRead, evolveAlarm, type AlarmState, type MetricAlarmState } from '../domain/alarm';
import { actionsOf } from '../domain/definition';
import { ALARM_EVENT_TYPES, type AlarmEvent } from '../domain/events';
import { historyItemOf } from '../domain/history';
import { dimensionsKey } from '../../usage-metrics/domain/usage-metrics';
import { REPORTING_SCHEMA } from '../../shared/schema';
import type { AlarmViews } from './alarm.views';

const columnsOf = (alarm: MetricAlarmState, streamVersion: number) => ({
  namespace: alarm.definition.namespace,
  metric_name: alarm.definition.metricName,
  dimensions_key: dimensionsKey(alarm.definition.dimensions),
  state_value: alarm.stateValue,
  actions: JSON.stringify(actionsOf(alarm.definition)),
  stream_version: streamVersion,
  state: JSON.stringify(alarm),
});

/**
 * The alarms view (each live alarm's state, folded with the decider's own evolve) and the alarm
 * history (one item per event, keyed by the event's id, so that a replay adds nothing twice).
 */
export const alarmsProjection = defineProjection<AlarmEvent, AlarmViews>()({
  name: 'alarms',
  eventTypes: ALARM_EVENT_TYPES,
  async handle(events, trx) {
    const db = trx.withSchema(REPORTING_SCHEMA);
    for (const event of events) {
      const { accountId, region, alarmName } = event.data;
      const row = await db
        .selectFrom('alarms')
        .select(['state', 'stream_version', 'stream_name'])
        .where('account_id', '=', accountId)
        .where('region', '=', region)
        .where('alarm_name', '=', alarmName)
        .forUpdate()
        .executeTakeFirst();
      const applied =
        row !== undefined && row.stream_name === event.streamName && row.stream_version >= event.streamVersion;
      const before: AlarmState = row ? { status: 'present', alarm: alarmAsRead(row.state) } : { status: 'absent' };
      const after = applied ? before : evolveAlarm(before, event);
      await db
        .insertInto('alarm_history')
        .values({
          event_id: event.eventId,
          account_id: accountId,
          region,
          alarm_name: alarmName,
          ...itemColumns(event, before, after),
          timestamp: event.data.at,
        })
        .onConflict((oc) => oc.column('event_id').doNothing())
        .execute();
      if (applied) continue;
      await write(db, event, after);
    }
  },
  async truncate(db) {
    await db.withSchema(REPORTING_SCHEMA).deleteFrom('alarms').execute();
    await db.withSchema(REPORTING_SCHEMA).deleteFrom('alarm_history').execute();
  },
});

function itemColumns(event: AlarmEvent, before: AlarmState, after: AlarmState) {
  const item = historyItemOf(
    event,
    before.status === 'present' ? before.alarm : undefined,
    after.status === 'present' ? after.alarm : undefined,
  );
  return { item_type: item.type, summary: item.summary, data: item.data };
}

async function write(
  db: Transaction<AlarmViews>,
  event: AlarmEvent & { streamName: string; streamVersion: number },
  after: AlarmState,
): Promise<void> {
  const { accountId, region, alarmName } = event.data;
  if (after.status !== 'present') {
    await db
      .deleteFrom('alarms')
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('alarm_name', '=', alarmName)
      .execute();
    return;
  }
  const columns = columnsOf(after.alarm, event.streamVersion);
  await db
    .insertInto('alarms')
    .values({ account_id: accountId, region, alarm_name: alarmName, stream_name: event.streamName, ...columns })
    .onConflict((oc) => oc.columns(['account_id', 'region', 'alarm_name']).doUpdateSet(columns))
    .execute();
}
