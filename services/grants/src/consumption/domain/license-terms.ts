import type { LicenseManager } from '@lm/api-model';

/** The guide's example token is valid for 60 minutes: the provisional lease of a licence that sets no ProvisionalConfiguration. */
export const DEFAULT_PROVISIONAL_MINUTES = 60;

/** What a licence's current version says about consuming it. */
export interface LicenseTerms {
  licenseArn: string;
  version: string;
  entitlements: readonly LicenseManager.Entitlement[];
  provisionalMinutes: number;
  /** Present when the licence may be borrowed (its BorrowConfiguration). */
  borrow?: { minutes: number; allowEarlyCheckIn: boolean };
  /** The end of the licence's validity (ms), when it has one: no lease outlives it. */
  validUntil?: number;
  /**
   * Where the licence's latest usage period began: the position in its stream of the latest
   * version that reset usage or of the latest renewal (0 when none did). Usage counted under a
   * lower epoch no longer counts: the usage stream records the reset when it first sees the
   * higher epoch.
   */
  usageEpoch: number;
}

export function licenseTerms(
  license: LicenseManager.License & { LicenseArn: string; Version: string },
  usageEpoch: number,
): LicenseTerms {
  const consumption = license.ConsumptionConfiguration;
  const borrow = consumption?.BorrowConfiguration;
  return {
    licenseArn: license.LicenseArn,
    version: license.Version,
    entitlements: license.Entitlements ?? [],
    provisionalMinutes: consumption?.ProvisionalConfiguration?.MaxTimeToLiveInMinutes ?? DEFAULT_PROVISIONAL_MINUTES,
    borrow: borrow && { minutes: borrow.MaxTimeToLiveInMinutes, allowEarlyCheckIn: borrow.AllowEarlyCheckIn },
    ...(license.Validity?.End === undefined ? {} : { validUntil: Date.parse(license.Validity.End) }),
    usageEpoch,
  };
}

/** Unit None marks an unlimited entitlement (a feature): it is granted, never counted. */
export const isLimited = (entitlement: { Unit: string }) => entitlement.Unit !== 'None';
