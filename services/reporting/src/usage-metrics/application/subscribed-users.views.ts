import type { ColumnType } from 'kysely';
import type { SubscribedUsers } from '../domain/subscribed-users';
import type { MetricPointsTable } from './usage-metrics.views';

/** Each product user's subscription (a ProductUserArn's stream), as far as its events were applied. */
export interface SubscribedUserStreamsTable {
  stream_name: string;
  /** The version of the last success or unsubscription applied: an older one changes nothing. */
  stream_version: number;
  account_id: string;
  product: string;
  subscribed: boolean;
}

/** Each account's count of subscribed users per product, and how far its points are written. */
export interface SubscribedUserCountsTable {
  /** subscribedUsersKey: the account and the product. */
  key: string;
  usage: ColumnType<SubscribedUsers, string, string>;
  /** The last instant sampled (a change, or a whole hour): hourly points are due after it. */
  sampled_through: ColumnType<Date | null, Date | undefined, Date>;
}

export interface SubscribedUsersViews {
  subscribed_user_streams: SubscribedUserStreamsTable;
  subscribed_user_counts: SubscribedUserCountsTable;
  metric_points: MetricPointsTable;
}
