import type { CataloguedEvents, ProductSubscriptionEventData } from '@lm/contracts';

/** The product subscription events (their data is part of @lm/contracts: lm.events.user-subscriptions.*). */
export type ProductSubscriptionEvent = {
  [T in keyof ProductSubscriptionEventData]: { type: T; data: ProductSubscriptionEventData[T] };
}[keyof ProductSubscriptionEventData];

type _Published = CataloguedEvents<'user-subscriptions', ProductSubscriptionEvent>;

export const PRODUCT_SUBSCRIPTION_EVENT_TYPES: readonly ProductSubscriptionEvent['type'][] = [
  'ProductSubscriptionRequested',
  'ProductSubscriptionSucceeded',
  'ProductSubscriptionFailed',
  'ProductUnsubscriptionRequested',
  'ProductUnsubscribed',
  'ProductUserTagged',
  'ProductUserUntagged',
];
