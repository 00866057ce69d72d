import { defineProjection } from '@lm/event-store';
import { USER_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import { evolveInstance } from '../domain/decide';
import { INSTANCE_EVENT_TYPES, type InstanceEvent } from '../domain/events';
import type { InstanceViews } from './instance.views';

/**
 * instances keeps each instance as its events leave it, folded with the decider's own evolve; the
 * stream version guard makes replays harmless.
 */
export const instancesProjection = defineProjection<InstanceEvent, InstanceViews>()({
  name: 'user-subscription-instances',
  eventTypes: INSTANCE_EVENT_TYPES,
  async handle(events, trx) {
    const db = trx.withSchema(USER_SUBSCRIPTIONS_SCHEMA);
    for (const event of events) {
      const { accountId, region, instanceId } = event.data;
      const row = await db
        .selectFrom('instances')
        .select(['state', 'stream_version'])
        .where('account_id', '=', accountId)
        .where('region', '=', region)
        .where('instance_id', '=', instanceId)
        .forUpdate()
        .executeTakeFirst();
      if (row && row.stream_version >= event.streamVersion) continue;
      const instance = evolveInstance(event.type === 'InstanceTracked' ? undefined : row?.state, event);
      const columns = {
        subnet_id: instance.subnetId,
        status: instance.status,
        observed_at: instance.observedAt,
        stream_version: event.streamVersion,
        state: JSON.stringify(instance),
      };
      await db
        .insertInto('instances')
        .values({ account_id: accountId, region, instance_id: instanceId, ...columns })
        .onConflict((oc) => oc.columns(['account_id', 'region', 'instance_id']).doUpdateSet(columns))
        .execute();
    }
  },
  async truncate(db) {
    await db.withSchema(USER_SUBSCRIPTIONS_SCHEMA).deleteFrom('instances').execute();
  },
});
