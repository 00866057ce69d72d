import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, string, string>;

/** Status of a checkout in the license_consumptions view. */
export type ConsumptionStatus = 'ACTIVE' | 'CONSUMED' | 'CHECKED_IN' | 'EXPIRED';

/** One checkout by its consumption token: what CheckInLicense and ExtendLicenseConsumption look up, and what the expiry sweep scans. */
export interface LicenseConsumptionsTable {
  consumption_token: string;
  license_arn: string;
  account_id: string;
  beneficiary: string | null;
  /** PROVISIONAL, PERPETUAL or BORROW. */
  checkout_type: string;
  node_id: string | null;
  /** ACTIVE: a lease, CONSUMED: a perpetual checkout, CHECKED_IN or EXPIRED: a lease that ended. */
  status: ConsumptionStatus;
  issued_at: Timestamp;
  expiration: Timestamp;
}

/** The usage epoch of each licence that had a version reset its usage, or a renewal (see LicenseTerms.usageEpoch). */
export interface LicenseUsageEpochsTable {
  license_id: string;
  usage_epoch: number;
}

/** The consumption slice's views, as Kysely sees them. */
export interface ConsumptionViews {
  license_consumptions: LicenseConsumptionsTable;
  license_usage_epochs: LicenseUsageEpochsTable;
}
