import type { Transaction } from 'kysely';
import { entitlementSamples, type LicenceEntitlementUsage } from '../domain/entitlement-usage';
import { dimensionsKey } from '../domain/usage-metrics';
import { accountSampleRows, insertMetricPoints, writeHourly, type MetricPointRow } from './usage-samples';
import type { UsageMetricsViews } from './usage-metrics.views';

type Db = Transaction<UsageMetricsViews>;

/** The licence's stream: its hourly points' sources name it. */
export const licenceStreamName = (licenseId: string) => `license-${licenseId}`;

/** The licence's usage stream (grants' checkouts, check-ins and usage periods). */
export const usageStreamName = (licenseId: string) => `license-usage-${licenseId}`;

/**
 * The points at one instant of every account that sees the licence (of those of `accounts`, when
 * given): one per account, metric and entitlement.
 */
export function entitlementSampleRows(
  usage: LicenceEntitlementUsage,
  at: Date,
  source: string,
  accounts?: readonly string[],
): MetricPointRow[] {
  return accountSampleRows(
    entitlementSamples(usage, at, accounts),
    at,
    source,
    (accountId, sample) => `${accountId}:${sample.metricName}:${dimensionsKey(sample.dimensions)}`,
  );
}

/** The hourly points of a licence whose usage held from `after` through `through` (leases counted while open at each hour). */
export async function writeHourlyEntitlementSamples(
  db: Db,
  licenseId: string,
  usage: LicenceEntitlementUsage,
  after: Date,
  through: Date,
): Promise<void> {
  await writeHourly(licenceStreamName(licenseId), after, through, (hour, source) =>
    insertMetricPoints(db, entitlementSampleRows(usage, hour, source)),
  );
}
