import type { LicenseManager } from '@lm/api-model';
import type { CataloguedEvents } from '@lm/contracts';

/** One version of a licence, exactly as GetLicense answers it. */
export type LicenseDocument = LicenseManager.License & {
  LicenseArn: string;
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

export type LicenseEvent =
  | {
      type: 'LicenseCreated';
      data: { license: LicenseDocument; issuerAccountId: string; tags: LicenseManager.Tag[] } & Idempotency;
    }
  | {
      type: 'LicenseVersionCreated';
      /** `resetUsage`: the consumption of the licence starts again from zero with this version. */
      data: {
        licenseArn: string;
        version: string;
        sourceVersion: string;
        resetUsage: boolean;
        license: LicenseDocument;
      } & Idempotency;
    }
  /** The guide: a deleted licence stays readable (read-only) for six months, and is no longer usable. */
  | { type: 'LicenseDeleted'; data: { licenseArn: string; version: string; deletionDate: string } }
  /** The current version's Validity.End passed: the licence is EXPIRED until a new version says otherwise. */
  | { type: 'LicenseExpired'; data: { licenseArn: string; version: string; validityEnd: string; expiredAt: string } }
  /**
   * A subscription's (RenewType Weekly or Monthly) Validity.End passed while it was AVAILABLE: the
   * current version now ends at `newEnd` (see renewedEnd), and a new usage period begins.
   */
  | {
      type: 'LicenseRenewed';
      data: { licenseArn: string; version: string; previousEnd: string; newEnd: string; renewedAt: string };
    }
  | { type: 'LicenseTagged'; data: { licenseArn: string; tags: LicenseManager.Tag[] } }
  | { type: 'LicenseUntagged'; data: { licenseArn: string; tagKeys: string[] } };

/** Relayed to lm.events.grants.*: a type missing from the catalogue of @lm/contracts fails to compile here. */
type _Published = CataloguedEvents<'grants', LicenseEvent>;

export const LICENSE_EVENT_TYPES: readonly LicenseEvent['type'][] = [
  'LicenseCreated',
  'LicenseVersionCreated',
  'LicenseDeleted',
  'LicenseExpired',
  'LicenseRenewed',
  'LicenseTagged',
  'LicenseUntagged',
];
