import {
  assertCataloguedVersion,
  type DomainEventMessage,
  type ProductSubscriptionEventData,
  type ProductSubscriptionRef,
} from '@lm/contracts';
import type { MetricSample } from './usage-metrics';

/** CloudWatch's name of the users of an account subscribed to a product (dimension Product), beside the usage metrics. */
export const SUBSCRIBED_USER_METRIC = 'SubscribedUserCount';

/** An account's subscribed users of one product, as user-subscriptions' events left them. */
export interface SubscribedUsers {
  accountId: string;
  product: string;
  count: number;
  /** Never: a count lives on at 0 (the hourly sampling skips deleted usages). */
  deleted: false;
}

/** Whether a user's subscription starts or ends with the event: only a success and an unsubscription change the count. */
export type SubscriptionChange = Pick<ProductSubscriptionRef, 'accountId' | 'product'> & { subscribed: boolean };

const CHANGES: Partial<Record<keyof ProductSubscriptionEventData, boolean>> = {
  ProductSubscriptionSucceeded: true,
  ProductUnsubscribed: false,
};

/** The change a user-subscriptions event makes to a user's subscription; undefined for any other event. */
export function subscriptionChangeOf(event: DomainEventMessage<object>): SubscriptionChange | undefined {
  if (event.service !== 'user-subscriptions' || !Object.hasOwn(CHANGES, event.type)) return undefined;
  assertCataloguedVersion(event);
  const { accountId, product } = event.data as ProductSubscriptionRef;
  return { accountId, product, subscribed: CHANGES[event.type as keyof ProductSubscriptionEventData]! };
}

export const subscribedUserSamples = (users: SubscribedUsers): MetricSample<string>[] => [
  {
    metricName: SUBSCRIBED_USER_METRIC,
    dimensions: [{ Name: 'Product', Value: users.product }],
    unit: 'Count',
    value: users.count,
  },
];
