import type { DomainEventMessage } from '@lm/contracts';
import type { ColumnType } from 'kysely';
import type { LicenceEntitlementUsage } from '../domain/entitlement-usage';
import type { MetricPointsTable, UsagePendingEventsTable } from './usage-metrics.views';

type Json<T> = ColumnType<T, string, string>;

/** The function that inserts, locks and reads the licences of a batch of events (migration 012). */
export const LOCK_ENTITLEMENT_USAGE_LICENCES_FUNCTION = 'lock_entitlement_usage_licences';

/** Each seller-issued licence's entitlement usage (the entitlement usage consumer's own state). */
export interface EntitlementUsageLicencesTable {
  /** `l-<32 hex>`: names both the licence's stream and its usage stream. */
  license_id: string;
  /** The versions of each stream's last event applied: an event at or below it was applied already. */
  license_stream_version: ColumnType<number, number | undefined, number>;
  usage_stream_version: ColumnType<number, number | undefined, number>;
  /** Null until the licence's creation is applied. */
  usage: ColumnType<LicenceEntitlementUsage | null, string | undefined, string>;
  /** The last instant sampled (a change, or a whole hour): hourly points are due after it. */
  sampled_through: ColumnType<Date | null, Date | undefined, Date>;
}

/** The waiting events of grants' streams share licensing's table (one gauge and one warning for both). */
export interface EntitlementUsageViews {
  entitlement_usage_licences: EntitlementUsageLicencesTable;
  usage_pending_events: Omit<UsagePendingEventsTable, 'event'> & { event: Json<DomainEventMessage<object>> };
  metric_points: MetricPointsTable;
}
