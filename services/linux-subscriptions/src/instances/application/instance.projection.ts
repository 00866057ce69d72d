import { defineProjection } from '@lm/event-store';
import type { Transaction } from 'kysely';
import { LINUX_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import { LINUX_INSTANCE_EVENT_TYPES, type LinuxInstanceEvent } from '../domain/events';
import { evolveLinuxInstance, type LinuxInstance } from '../domain/linux-instance';
import type { InstanceViews } from './instance.views';

const columnsOf = (instance: LinuxInstance) => ({
  subscription_name: instance.subscriptionName,
  subscription_type: instance.subscriptionType,
  status: instance.status,
  ami_id: instance.amiId ?? null,
  instance_type: instance.instanceType ?? null,
  usage_operation: instance.usageOperation,
  product_codes: instance.productCodes,
  dual_subscription: instance.dualSubscription,
  instance: JSON.stringify(instance),
});

/** linux_subscription_instances from the instance streams, in the append's transaction. */
export const linuxInstancesProjection = defineProjection<LinuxInstanceEvent, InstanceViews>()({
  name: 'linux-subscription-instances',
  eventTypes: LINUX_INSTANCE_EVENT_TYPES,
  async handle(events, trx: Transaction<InstanceViews>) {
    const db = trx.withSchema(LINUX_SUBSCRIPTIONS_SCHEMA);
    for (const event of events) {
      const key = { account_id: event.data.accountId, region: event.data.region, instance_id: event.data.instanceId };
      const row = await db
        .selectFrom('linux_subscription_instances')
        .select('instance')
        .where('account_id', '=', key.account_id)
        .where('region', '=', key.region)
        .where('instance_id', '=', key.instance_id)
        .executeTakeFirst();
      const { instance } = evolveLinuxInstance({ instance: row?.instance }, event);
      if (!instance) {
        await db
          .deleteFrom('linux_subscription_instances')
          .where('account_id', '=', key.account_id)
          .where('region', '=', key.region)
          .where('instance_id', '=', key.instance_id)
          .execute();
        continue;
      }
      const columns = columnsOf(instance);
      await db
        .insertInto('linux_subscription_instances')
        .values({ ...key, ...columns })
        .onConflict((oc) => oc.columns(['account_id', 'region', 'instance_id']).doUpdateSet(columns))
        .execute();
    }
  },
  async truncate(db) {
    await db.withSchema(LINUX_SUBSCRIPTIONS_SCHEMA).deleteFrom('linux_subscription_instances').execute();
  },
});
