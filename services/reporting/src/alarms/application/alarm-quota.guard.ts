import { defineGuard } from '@lm/event-store';
import { sql } from 'kysely';
import { alarmLimitExceeded } from '../domain/errors';
import type { AlarmEvent } from '../domain/events';
import { REPORTING_SCHEMA } from '../../shared/schema';
import type { AlarmViews } from './alarm.views';

/**
 * Counts live alarms per account and Region and enforces the quota in the append's transaction:
 * the counter row's lock orders concurrent creations, and one past the quota rolls its append back.
 */
export function alarmQuotaGuard(quota: number) {
  return defineGuard<AlarmEvent, AlarmViews>()({
    name: 'alarm-quota',
    eventTypes: ['AlarmConfigured', 'AlarmDeleted'],
    async handle(events, trx) {
      const db = trx.withSchema(REPORTING_SCHEMA);
      for (const event of events) {
        if (event.type === 'AlarmConfigured' && !event.data.created) continue;
        const { accountId, region } = event.data;
        const delta = event.type === 'AlarmConfigured' ? 1 : -1;
        const row = await db
          .insertInto('alarm_counts')
          .values({ account_id: accountId, region, count: delta })
          .onConflict((oc) =>
            oc.columns(['account_id', 'region']).doUpdateSet({ count: sql`alarm_counts.count + ${delta}` }),
          )
          .returning('count')
          .executeTakeFirstOrThrow();
        if (delta > 0 && row.count > quota) throw alarmLimitExceeded(quota);
      }
    },
    async truncate(db) {
      await db.withSchema(REPORTING_SCHEMA).deleteFrom('alarm_counts').execute();
    },
  });
}
