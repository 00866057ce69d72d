import type { ColumnType } from 'kysely';
import type { SeriesCount } from '../domain/stream-counts';
import type { MetricPointsTable } from './usage-metrics.views';

type Json<T> = ColumnType<T, string, string>;

/** Each counted stream, as far as its events were applied (one table per metric counted over streams). */
export interface CountedStreamsTable {
  stream_name: string;
  /** The version of the last event applied that says how it counts: an older one changes nothing. */
  stream_version: number;
  account_id: string;
  /** What it counts as (the counting's own shape), null when it counts in no series: the series are derived from it. */
  contribution: ColumnType<unknown, string | null, string | null>;
  /** The keys of the series it counts in. */
  series_keys: string[];
}

/** Each series' count, and how far its points are written (sampled every hour as the other usages). */
export interface SeriesCountsTable {
  key: string;
  usage: Json<SeriesCount>;
  /** The last instant sampled (a change, or a whole hour): hourly points are due after it. */
  sampled_through: ColumnType<Date | null, Date | undefined, Date>;
}

/** The organization a management account's aggregate counts: the accounts its Linux subscriptions discovery covers. */
export interface DiscoveredOrganizationsTable {
  management_account_id: string;
  /** The organization's accounts, the management account's included; none when its discovery does not cover it. */
  account_ids: string[];
  /** The version of the account's settings stream applied: an older one changes nothing. */
  settings_version: number;
}

export interface StreamCountsViews {
  subscribed_user_streams: CountedStreamsTable;
  subscribed_user_counts: SeriesCountsTable;
  running_instance_streams: CountedStreamsTable;
  running_instance_counts: SeriesCountsTable;
  discovered_organizations: DiscoveredOrganizationsTable;
  metric_points: MetricPointsTable;
}

/** The two tables of one metric counted over streams. */
export type StreamCountTables =
  | { streams: 'subscribed_user_streams'; counts: 'subscribed_user_counts' }
  | { streams: 'running_instance_streams'; counts: 'running_instance_counts' };
