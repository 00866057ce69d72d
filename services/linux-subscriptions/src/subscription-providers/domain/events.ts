import type { CataloguedEvents, SubscriptionProviderEventData } from '@lm/contracts';

/** The subscription provider events (their data is part of @lm/contracts: lm.events.linux-subscriptions.*). */
export type SubscriptionProviderEvent = {
  [T in keyof SubscriptionProviderEventData]: { type: T; data: SubscriptionProviderEventData[T] };
}[keyof SubscriptionProviderEventData];

type _Published = CataloguedEvents<'linux-subscriptions', SubscriptionProviderEvent>;

export const SUBSCRIPTION_PROVIDER_EVENT_TYPES: readonly SubscriptionProviderEvent['type'][] = [
  'SubscriptionProviderRegistered',
  'SubscriptionProviderDataRetrieved',
  'SubscriptionProviderInvalidated',
  'SubscriptionProviderDeregistered',
  'SubscriptionProviderTagged',
  'SubscriptionProviderUntagged',
];
