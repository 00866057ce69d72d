import type { LicenseManager } from '@lm/api-model';
import type { CataloguedEvents } from '@lm/contracts';

/** A checkout's kind: the API's two CheckoutTypes, and a borrow (CheckoutBorrowLicense). */
export type CheckoutKind = LicenseManager.CheckoutType | 'BORROW';

/** Units of one limited entitlement a checkout draws from its MaxCount. */
export interface CountedUnits {
  name: string;
  unit: string;
  units: number;
}

/** How far a checkout took a limited entitlement with Overage beyond its MaxCount. */
export interface Overage {
  name: string;
  unit: string;
  overBy: number;
}

/**
 * One checkout as recorded: what the caller was granted, for how long, and what it counts
 * against the licence. The signed token is not recorded: it is signed again from these fields.
 */
export interface Checkout {
  consumptionToken: string;
  licenseArn: string;
  /** The licence version whose terms granted it. */
  licenseVersion: string;
  kind: CheckoutKind;
  accountId: string;
  beneficiary?: string;
  nodeId?: string;
  clientToken: string;
  /** What the token lists (EntitlementsAllowed): limited ones with the amount, unlimited ones with the licence's value. */
  entitlementsAllowed: LicenseManager.EntitlementData[];
  counted: CountedUnits[];
  overage: Overage[];
  checkoutMetadata?: LicenseManager.Metadata[];
  issuedAt: string;
  /** When the signed token stops being valid; for a borrow or provisional checkout also when the lease ends (unless extended). */
  expiration: string;
}

export type LicenseUsageEvent =
  | { type: 'LicenseCheckedOut'; data: Checkout }
  | {
      type: 'LicenseCheckedIn';
      data: { consumptionToken: string; licenseArn: string; accountId: string; checkedInAt: string };
    }
  | {
      type: 'LicenseConsumptionExtended';
      data: { consumptionToken: string; licenseArn: string; expiration: string; extendedAt: string };
    }
  /** Recorded by the sweep: the lease's time ran out and its units came back. */
  | { type: 'LicenseConsumptionExpired'; data: { consumptionToken: string; licenseArn: string; expiredAt: string } }
  /** A new usage period (a licence version that resets usage, a renewal) came into force: every count starts again from zero. */
  | { type: 'LicenseUsageReset'; data: { licenseArn: string; usageEpoch: number; resetAt: string } };

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
