import type { ColumnType } from 'kysely';
import type { ProductSubscription, ProductSubscriptionStatus } from '../domain/product-subscription';

type Timestamp = ColumnType<Date, string, string>;
type Json<T> = ColumnType<T, string, string>;

/**
 * product_subscriptions: every user's subscription to a product, kept after it ends
 * (UNSUBSCRIBED, FAILED) as ListProductSubscriptions shows it. Other slices read it
 * (docs/user-subscriptions.md#views): the columns below are stable; `state` is the whole subscription.
 */
export interface ProductSubscriptionsTable {
  /** The ProductUserArn. */
  arn: string;
  account_id: string;
  region: string;
  identity_provider_arn: string;
  directory_id: string;
  product: string;
  /** As the directory spells it; compare with lower(). */
  username: string;
  /** Lower case. */
  domain: string;
  status: ProductSubscriptionStatus;
  requested_at: Timestamp;
  stream_version: number;
  state: Json<ProductSubscription>;
}

export interface ProductSubscriptionViews {
  product_subscriptions: ProductSubscriptionsTable;
}
