import type { LicenseManager } from '@lm/api-model';
import type { DomainEventMessage } from './domain-event-message';

/**
 * Events of the grants service (lm.events.grants.*), with the schema version of each type.
 * Reporting consumes a licence's creation, versions, renewals and deletion (its expiry notices and
 * entitlement usage metrics) and its usage stream's events (the entitlement usage metrics);
 * licensing's license asset groups consume the licences' events and the grants' (the licences an
 * account issued, and those it received through an ACTIVE grant). Their data is part of the
 * contract; the others' stays in the grants domain until a service consumes them.
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
  /** The current version's Validity.End passed: the licence is EXPIRED until a new version says otherwise. */
  LicenseExpired: { licenseArn: string; version: string; validityEnd: string; expiredAt: string };
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

/** Whom a grant is for: one account, every account of an organization, or of an OU and the OUs nested in it. */
export type GrantPrincipal =
  | { kind: 'account'; accountId: string }
  | { kind: 'organization'; managementAccountId: string; organizationId: string }
  | { kind: 'ou'; managementAccountId: string; organizationId: string; ouId: string };

/** A grant as it was made (`GrantCreated`): its first version and what it was made for. */
export interface GrantRecord {
  /** Its first version, exactly as GetGrant answers it (`ParentArn`: the licence, the grant it was distributed from, or the organization or OU grant it is a sub-grant of). */
  grant: LicenseManager.Grant;
  grantorAccountId: string;
  principal: GrantPrincipal;
  /** Of the licence when the grant was made: what lists filter on and the one-active-grant rule compares. */
  licenseIssuerAccountId: string;
  licenseIssuerName: string;
  productSku: string;
  createdAt: string;
  /**
   * An organization or OU grant: the accounts it covered when it was made (the management
   * account's organization as the gateway gave it), each of which receives a sub-grant.
   */
  coveredAccountIds?: string[];
  tags: LicenseManager.Tag[];
}

/** Every change of a grant but its creation makes a new version of it: `version` is that version. */
export interface GrantChange {
  grantArn: string;
  version: string;
  at: string;
}

/** The data of the grant events (stream `grant-<id>`, all at version 1), by type. */
export interface GrantEventData {
  /** An account grant starts PENDING_ACCEPT, or DISABLED when accepted automatically (a sub-grant too); an organization or OU grant PENDING_WORKFLOW. */
  GrantCreated: GrantRecord & Idempotency;
  /**
   * Accepted, DISABLED until a CreateGrantVersion activates it. Events stored before acceptance
   * stopped activating are followed by a GrantActivated, or carry a statusReason naming the
   * grant for the product that was ACTIVE then.
   */
  GrantAccepted: GrantChange & { statusReason?: string };
  GrantRejected: GrantChange & { statusReason?: string };
  /** A CreateGrantVersion: the grant's name, operations, reason and options from this version on (its status changes by the events that follow). */
  GrantVersionCreated: GrantChange & {
    grantName: string;
    grantedOperations: LicenseManager.AllowedOperation[];
    statusReason?: string;
    options?: LicenseManager.Options;
  } & Idempotency;
  GrantActivated: GrantChange & { activationOverrideBehavior?: LicenseManager.ActivationOverrideBehavior };
  GrantDisabled: GrantChange;
  /** Disabled because another grant for the same product was activated with ALL_GRANTS_PERMITTED_BY_ISSUER. */
  GrantReplaced: GrantChange & { byGrantArn: string };
  GrantDeleted: GrantChange & { statusReason?: string };
  /** An organization or OU grant: its sub-grants were created in the same append (WORKFLOW_COMPLETED). */
  GrantDistributed: GrantChange & { subGrantArns: string[] };
  /** An organization or OU grant that could not be distributed (FAILED_WORKFLOW); statusReason says why. */
  GrantDistributionFailed: GrantChange & { statusReason: string };
  /** A distributed grant is being deleted (PENDING_DELETE): its sub-grants are recalled, then it is DELETED. */
  GrantDeletionStarted: GrantChange & { statusReason?: string };
  /** Tags are not part of a grant's versions. */
  GrantTagged: { grantArn: string; tags: LicenseManager.Tag[] };
  GrantUntagged: { grantArn: string; tagKeys: string[] };
}

export type GrantEventType = keyof GrantEventData;

/** A grant event of the contract as JetStream carries it, of the types `T`. */
export type GrantEventMessage<T extends GrantEventType = GrantEventType> = {
  [K in T]: DomainEventMessage<GrantEventData[K]> & { service: 'grants'; type: K };
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
