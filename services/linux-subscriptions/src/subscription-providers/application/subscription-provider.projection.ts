import { defineProjection } from '@lm/event-store';
import { LINUX_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import { SUBSCRIPTION_PROVIDER_EVENT_TYPES, type SubscriptionProviderEvent } from '../domain/events';
import { evolveSubscriptionProvider, type SubscriptionProvider } from '../domain/subscription-provider';
import type { SubscriptionProviderViews } from './subscription-provider.views';

const columnsOf = (provider: SubscriptionProvider, streamVersion: number) => ({
  status: provider.status,
  stream_version: streamVersion,
  state: JSON.stringify(provider),
});

/**
 * subscription_providers keeps each account's live provider per source, folded with the decider's
 * own evolve; a deregistered one's row goes. The stream version guard makes replays harmless.
 */
export const subscriptionProvidersProjection = defineProjection<SubscriptionProviderEvent, SubscriptionProviderViews>()(
  {
    name: 'subscription-providers',
    eventTypes: SUBSCRIPTION_PROVIDER_EVENT_TYPES,
    async handle(events, trx) {
      const db = trx.withSchema(LINUX_SUBSCRIPTIONS_SCHEMA);
      for (const event of events) {
        const { arn } = event.data;
        if (event.type === 'SubscriptionProviderRegistered') {
          const { provider } = evolveSubscriptionProvider({}, event);
          if (!provider) continue;
          await db
            .insertInto('subscription_providers')
            .values({
              arn,
              account_id: provider.accountId,
              region: provider.region,
              source: provider.source,
              created_at: provider.createdAt,
              ...columnsOf(provider, event.streamVersion),
            })
            .onConflict((oc) => oc.column('arn').doNothing())
            .execute();
          continue;
        }
        if (event.type === 'SubscriptionProviderDeregistered') {
          await db.deleteFrom('subscription_providers').where('arn', '=', arn).execute();
          continue;
        }
        const row = await db
          .selectFrom('subscription_providers')
          .select(['state', 'stream_version'])
          .where('arn', '=', arn)
          .forUpdate()
          .executeTakeFirst();
        if (!row || row.stream_version >= event.streamVersion) continue;
        const { provider } = evolveSubscriptionProvider({ provider: row.state }, event);
        if (!provider) continue;
        await db
          .updateTable('subscription_providers')
          .set(columnsOf(provider, event.streamVersion))
          .where('arn', '=', arn)
          .execute();
      }
    },
    async truncate(db) {
      await db.withSchema(LINUX_SUBSCRIPTIONS_SCHEMA).deleteFrom('subscription_providers').execute();
    },
  },
);
