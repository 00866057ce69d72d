import type { ColumnType } from 'kysely';
import type { SubscriptionProvider } from '../domain/subscription-provider';

type Timestamp = ColumnType<Date, string, string>;
type Json<T> = ColumnType<T, string, string>;

/**
 * subscription_providers: the live provider of each source in each account (a deregistered one's
 * row goes). Other slices may read the columns below (docs/linux-subscriptions.md#views); `state`
 * is the whole provider, without its secret's value, which is never stored.
 */
export interface SubscriptionProvidersTable {
  /** The SubscriptionProviderArn. */
  arn: string;
  account_id: string;
  region: string;
  /** RedHat. */
  source: string;
  /** PENDING, ACTIVE or INVALID. */
  status: string;
  created_at: Timestamp;
  /** Version of its stream the row reflects (for an idempotent projection). */
  stream_version: number;
  state: Json<SubscriptionProvider>;
}

export interface SubscriptionProviderViews {
  subscription_providers: SubscriptionProvidersTable;
}
