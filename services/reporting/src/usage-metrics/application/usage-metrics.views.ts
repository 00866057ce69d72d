import type { LicenseConfigurationEventMessage } from '@lm/contracts';
import type { ColumnType, Generated } from 'kysely';
import type { ConfigurationUsage } from '../domain/configuration-usage';
import type { Dimension } from '../domain/usage-metrics';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

/** The function that locks and reads the configurations of a batch of events, with what they hold (migration 013). */
export const LOCK_USAGE_CONFIGURATIONS_FUNCTION = 'lock_usage_configurations';
/** The function that reads the associations on the consumption keys of a batch's events (migration 013). */
export const CONFIGURATION_ASSOCIATIONS_FUNCTION = 'usage_configuration_associations_concerned';

/** Each license configuration's usage as licensing's events left it (the consumer's own state). */
export interface UsageConfigurationsTable {
  /** Licensing's stream of the configuration (its events carry no ARN after the first). */
  stream_name: string;
  account_id: string;
  /** The version of the stream's last event applied: an event at or below it was applied already. */
  stream_version: number;
  /** Its count and what its associations consume (they are usage_configuration_associations). */
  usage: Json<ConfigurationUsage>;
  /** When it last changed, and the last whole hour sampled: hourly points are due after both. */
  changed_at: Timestamp;
  sampled_through: Timestamp;
}

/** A resource associated with a configuration, and what it consumes of it now. */
export interface UsageConfigurationAssociationsTable {
  stream_name: string;
  resource_arn: string;
  consumption_key: string;
  consumed_licenses: number;
}

/**
 * Data points as statistic sets: one sample (a change or an hourly sample) is a set of one; the
 * retention sweep merges old sets into five-minute then hourly ones (`resolution`, seconds).
 */
export interface MetricPointsTable {
  id: Generated<string>;
  account_id: string;
  namespace: string;
  metric_name: string;
  dimensions: Json<Dimension[]>;
  dimensions_key: string;
  unit: string;
  timestamp: Timestamp;
  resolution: number;
  sample_count: number;
  sum: number;
  minimum: number;
  maximum: number;
  /**
   * What made the sample (an event and metric, or an hour and metric): a redelivery or a replay
   * cannot add it twice. A consumer's point that merges a minute's changes has its first event's;
   * a rolled-up point has none.
   */
  source: string | null;
}

/** An event of a configuration's stream that came before the one preceding it: applied once that one is. */
export interface UsagePendingEventsTable {
  stream_name: string;
  stream_version: number;
  /** Narrowed before it was kept (isConfigurationEvent): the contract's data. */
  event: Json<LicenseConfigurationEventMessage>;
  /** When it started waiting. */
  pending_since: Date;
}

export interface UsageMetricsViews {
  usage_configurations: UsageConfigurationsTable;
  usage_configuration_associations: UsageConfigurationAssociationsTable;
  usage_pending_events: UsagePendingEventsTable;
  metric_points: MetricPointsTable;
}
