import { defineProjection } from '@lm/event-store';
import { USER_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import { ALREADY_APPLIED, stateBefore } from '../../shared/state-rows';
import { PRODUCT_SUBSCRIPTION_EVENT_TYPES, type ProductSubscriptionEvent } from '../domain/events';
import { evolveProductSubscription, type ProductSubscription } from '../domain/product-subscription';
import type { ProductSubscriptionViews } from './product-subscription.views';

const columnsOf = (subscription: ProductSubscription, streamVersion: number) => ({
  identity_provider_arn: subscription.identityProviderArn,
  username: subscription.username,
  status: subscription.status,
  requested_at: subscription.requestedAt,
  stream_version: streamVersion,
  state: JSON.stringify(subscription),
});

/**
 * product_subscriptions keeps each user's subscription to a product (one row per ProductUserArn,
 * a new period replacing the last), folded with the decider's own evolve; the stream version
 * guard makes replays harmless.
 */
export const productSubscriptionsProjection = defineProjection<ProductSubscriptionEvent, ProductSubscriptionViews>()({
  name: 'product-subscriptions',
  eventTypes: PRODUCT_SUBSCRIPTION_EVENT_TYPES,
  async handle(events, trx) {
    const db = trx.withSchema(USER_SUBSCRIPTIONS_SCHEMA);
    for (const event of events) {
      const arn = event.data.arn;
      const before = await stateBefore<ProductSubscription>(db, 'product_subscriptions', event);
      if (before === ALREADY_APPLIED) continue;
      const { subscription } = evolveProductSubscription({ subscription: before }, event);
      if (!subscription) continue;
      const columns = columnsOf(subscription, event.streamVersion);
      if (before) {
        await db.updateTable('product_subscriptions').set(columns).where('arn', '=', arn).execute();
        continue;
      }
      await db
        .insertInto('product_subscriptions')
        .values({
          arn,
          account_id: subscription.accountId,
          region: subscription.region,
          directory_id: subscription.directoryId,
          product: subscription.product,
          domain: subscription.domain,
          ...columns,
        })
        .execute();
    }
  },
  async truncate(db) {
    await db.withSchema(USER_SUBSCRIPTIONS_SCHEMA).deleteFrom('product_subscriptions').execute();
  },
});
