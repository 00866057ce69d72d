import type { LicenseManager } from '@lm/api-model';
import type { DomainEventMessage } from './domain-event-message';

/**
 * Events of the grants service (lm.events.grants.*), with the schema version of each type.
 * Reporting consumes a licence's creation, versions, renewals and deletion (its expiry notices and
 * entitlement usage metrics) and its usage stream's events (the entitlement usage metrics), so
 * their data is part of the contract; the others' stays in the grants domain until a service
 * consumes them.
 */
export const GRANTS_EVENT_VERSIONS = {
  // Licences
  LicenseCreated: 1,
  LicenseVersionCreated: 1,
  LicenseDeleted: 1,
  LicenseExpired: 1,
  LicenseRenewed: 1,
  LicenseTagged: 1,
  LicenseUntagged: 1,
  // Grants
  GrantCreated: 1,
  GrantAccepted: 1,
  GrantRejected: 1,
  GrantVersionCreated: 1,
  GrantActivated: 1,
  GrantDisabled: 1,
  GrantReplaced: 1,
  GrantDeleted: 1,
  GrantDistributed: 1,
  GrantDistributionFailed: 1,
  GrantDeletionStarted: 1,
  GrantTagged: 1,
  GrantUntagged: 1,
  // Consumption
  LicenseCheckedOut: 1,
  LicenseCheckedIn: 1,
  LicenseConsumptionExtended: 1,
  LicenseConsumptionExpired: 1,
  LicenseUsageReset: 1,
  // Signing keys
  SigningKeyCreated: 1,
  SigningKeyDeletionScheduled: 1,
  // Tokens and temporary credentials
  TokenCreated: 1,
  TokenDeleted: 1,
  AccessTokenIssued: 1,
  TemporaryCredentialsIssued: 1,
} as const;

/** One version of a licence, exactly as GetLicense answers it. */
export type LicenseDocument = LicenseManager.License & {
  LicenseArn: string;
  LicenseName: string;
  Version: string;
  Status: LicenseManager.LicenseStatus;
  ProductSKU: string;
  Issuer: LicenseManager.IssuerDetails;
  HomeRegion: string;
  Validity: LicenseManager.DatetimeRange;
  Entitlements: LicenseManager.Entitlement[];
  ConsumptionConfiguration: LicenseManager.ConsumptionConfiguration;
};

/** What makes a retried request the same request: its ClientToken and a hash of everything else. */
export interface Idempotency {
  clientToken: string;
  requestHash: string;
}

/** The data of the licence events other services read (all at version 1), by type. */
export interface LicenseEventData {
  LicenseCreated: { license: LicenseDocument; issuerAccountId: string; tags: LicenseManager.Tag[] } & Idempotency;
  /** `resetUsage`: the consumption of the licence starts again from zero with this version. */
  LicenseVersionCreated: {
    licenseArn: string;
    version: string;
    sourceVersion: string;
    resetUsage: boolean;
    license: LicenseDocument;
  } & Idempotency;
  /** The guide: a deleted licence stays readable (read-only) for six months, and is no longer usable. */
  LicenseDeleted: { licenseArn: string; version: string; deletionDate: string };
  /**
   * A subscription's (RenewType Weekly or Monthly) Validity.End passed while it was AVAILABLE: the
   * current version now ends at `newEnd`, and a new usage period begins.
   */
  LicenseRenewed: { licenseArn: string; version: string; previousEnd: string; newEnd: string; renewedAt: string };
}

export type LicenseEventType = keyof LicenseEventData;

/** A licence event of the contract as JetStream carries it, of the types `T`: its data known by its type. */
export type LicenseEventMessage<T extends LicenseEventType = LicenseEventType> = {
  [K in T]: DomainEventMessage<LicenseEventData[K]> & { service: 'grants'; type: K };
}[T];

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
 * `LicenseCheckedOut` v1: one checkout as recorded: what the caller was granted, for how long, and
 * what it counts against the licence. The signed token is not recorded: it is signed again from
 * these fields.
 */
export interface Checkout {
  consumptionToken: string;
  licenseArn: string;
  /** The licence version whose terms granted it. */
  licenseVersion: string;
  kind: CheckoutKind;
  /** The consuming account (the issuer, for a checkout on behalf of a Beneficiary). */
  accountId: string;
  /**
   * A checkout through a grant: the account that received the licence from its issuer at the top
   * of the grant's chain (the root buyer, who sees the licence's usage with the seller). Optional
   * within v1: a checkout by the issuer has none, and neither have those recorded before it existed.
   */
  rootBuyerAccountId?: string;
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

/** The data of a licence's usage stream's events (all at version 1), by type. */
export interface LicenseUsageEventData {
  LicenseCheckedOut: Checkout;
  LicenseCheckedIn: { consumptionToken: string; licenseArn: string; accountId: string; checkedInAt: string };
  LicenseConsumptionExtended: { consumptionToken: string; licenseArn: string; expiration: string; extendedAt: string };
  /** Recorded by the sweep: the lease's time ran out and its units came back. */
  LicenseConsumptionExpired: { consumptionToken: string; licenseArn: string; expiredAt: string };
  /** A new usage period (a licence version that resets usage, a renewal) came into force: every count starts again from zero. */
  LicenseUsageReset: { licenseArn: string; usageEpoch: number; resetAt: string };
}

export type LicenseUsageEventType = keyof LicenseUsageEventData;

/** A usage event of the contract as JetStream carries it, of the types `T`. */
export type LicenseUsageEventMessage<T extends LicenseUsageEventType = LicenseUsageEventType> = {
  [K in T]: DomainEventMessage<LicenseUsageEventData[K]> & { service: 'grants'; type: K };
}[T];
