import type { CataloguedEvents, LicenseUsageEventData } from '@lm/contracts';

/** The checkout and the usage stream's events are the contract (@lm/contracts): reporting follows them. */
export type { CheckoutKind, CountedUnits, Overage, Checkout } from '@lm/contracts';

export type LicenseUsageEvent = {
  [T in keyof LicenseUsageEventData]: { type: T; data: LicenseUsageEventData[T] };
}[keyof LicenseUsageEventData];

export type LicenseUsageEventType = LicenseUsageEvent['type'];

/** Relayed to lm.events.grants.*: a type missing from the catalogue of @lm/contracts fails to compile here. */
type _Published = CataloguedEvents<'grants', LicenseUsageEvent>;

export const LICENSE_USAGE_EVENT_TYPES: readonly LicenseUsageEventType[] = [
  'LicenseCheckedOut',
  'LicenseCheckedIn',
  'LicenseConsumptionExtended',
  'LicenseConsumptionExpired',
  'LicenseUsageReset',
];
