import {
  assertCataloguedVersion,
  type DomainEventMessage,
  type ProductSubscriptionEventData,
  type ProductSubscriptionRef,
} from '@lm/contracts';
import type { CountedSeries } from './stream-counts';

/** CloudWatch's name of the users of an account subscribed to a product (dimension Product), beside the usage metrics. */
export const SUBSCRIBED_USER_METRIC = 'SubscribedUserCount';

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

/** The series a subscribed user counts in: its account's SubscribedUserCount of the product (one per product, whatever the directory). */
export const subscribedUserSeries = ({
  accountId,
  product,
}: Omit<SubscriptionChange, 'subscribed'>): CountedSeries[] => [
  { accountId, metricName: SUBSCRIBED_USER_METRIC, dimensions: [{ Name: 'Product', Value: product }] },
];

/** Names the series' count and its hourly points (their sources). */
export const subscribedUsersKey = (series: CountedSeries) =>
  `subscribed-users-${series.accountId}-${series.dimensions[0]!.Value}`;
