import { defineProjection } from '@lm/event-store';
import { USER_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import { ALREADY_APPLIED, stateBefore } from '../../shared/state-rows';
import { evolveInstance } from '../domain/decide';
import { INSTANCE_EVENT_TYPES, type InstanceEvent } from '../domain/events';
import type { InventoryInstance } from '../domain/instance';
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
      const key = { account_id: accountId, region, instance_id: instanceId };
      const before = await stateBefore<InventoryInstance>(db, 'instances', event, key);
      if (before === ALREADY_APPLIED) continue;
      const instance = evolveInstance(before, event);
      const columns = {
        subnet_id: instance.subnetId,
        status: instance.status,
        observed_at: instance.observedAt,
        stream_version: event.streamVersion,
        state: JSON.stringify(instance),
      };
      await db
        .insertInto('instances')
        .values({ ...key, ...columns })
        .onConflict((oc) => oc.columns(['account_id', 'region', 'instance_id']).doUpdateSet(columns))
        .execute();
    }
  },
  async truncate(db) {
    await db.withSchema(USER_SUBSCRIPTIONS_SCHEMA).deleteFrom('instances').execute();
  },
});
