/**
 * What a licence token says: the entitlements a checkout granted, for which licence, node and
 * time window. The field names and the string `value` are those of the License Manager guide, so
 * that a token from AWS and one from this service read the same.
 */
export interface LicenseTokenPayload {
  entitlementsAllowed: TokenEntitlement[];
  /** `YYYY-MM-DDTHH:MM:SS`, UTC without a zone suffix (see {@link tokenTimestamp}). */
  expiration: string;
  issuedAt: string;
  /** The licence ARN, whose Region segment is empty. */
  licenseArn: string;
  /** Kept by the client for CheckInLicense and ExtendLicenseConsumption. */
  licenseConsumptionToken: string;
  /** Present when the checkout is locked to one node. */
  nodeId?: string;
  /** Constraints a borrow checkout recorded (for example the node's `Mac`): an object here, a Name/Value list in the API. */
  checkoutMetadata?: Record<string, string>;
}

export interface TokenEntitlement {
  name: string;
  unit: string;
  /** A string even for counts ("1"). */
  value: string;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?$/;

/** The payload's timestamp form: ISO 8601 to the second, UTC, no zone suffix. */
export const tokenTimestamp = (at: Date): string => at.toISOString().slice(0, 19);

/** Reads a payload timestamp as UTC (it has no zone); `undefined` when it is not one. */
export const parseTokenTimestamp = (text: string): Date | undefined => {
  if (!TIMESTAMP.test(text)) return undefined;
  const at = new Date(`${text}Z`);
  return Number.isNaN(at.getTime()) ? undefined : at;
};

const isString = (value: unknown): value is string => typeof value === 'string';

const isStringRecord = (value: unknown): value is Record<string, string> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every(isString);

const isEntitlement = (value: unknown): value is TokenEntitlement => {
  const entitlement = value as Partial<TokenEntitlement> | null;
  return (
    typeof entitlement === 'object' &&
    entitlement !== null &&
    isString(entitlement.name) &&
    isString(entitlement.unit) &&
    isString(entitlement.value)
  );
};

/** Whether a decoded JSON value has the payload's shape (checked after the signature, before any field is trusted). */
export const isLicenseTokenPayload = (value: unknown): value is LicenseTokenPayload => {
  const payload = value as Partial<LicenseTokenPayload> | null;
  return (
    typeof payload === 'object' &&
    payload !== null &&
    Array.isArray(payload.entitlementsAllowed) &&
    payload.entitlementsAllowed.every(isEntitlement) &&
    isString(payload.expiration) &&
    parseTokenTimestamp(payload.expiration) !== undefined &&
    isString(payload.issuedAt) &&
    parseTokenTimestamp(payload.issuedAt) !== undefined &&
    isString(payload.licenseArn) &&
    isString(payload.licenseConsumptionToken) &&
    (payload.nodeId === undefined || isString(payload.nodeId)) &&
    (payload.checkoutMetadata === undefined || isStringRecord(payload.checkoutMetadata))
  );
};

export interface RequiredEntitlement {
  name: string;
  unit: string;
  /** The amount needed; omitted: holding the entitlement at all is enough. */
  value?: string | number;
}

/**
 * Step 7 of the verification procedure: the token grants `required` when it lists an entitlement
 * of that name and unit whose value covers the need. Numbers compare as numbers (a token allowing
 * "10" covers a need of 3); other values (Unit None features) must be equal.
 */
export const entitlementAllows = (payload: LicenseTokenPayload, required: RequiredEntitlement): boolean =>
  payload.entitlementsAllowed.some((entitlement) => {
    if (entitlement.name !== required.name || entitlement.unit !== required.unit) return false;
    if (required.value === undefined) return true;
    const allowed = Number(entitlement.value);
    const needed = Number(required.value);
    const numeric =
      entitlement.value.trim() !== '' &&
      String(required.value).trim() !== '' &&
      Number.isFinite(allowed) &&
      Number.isFinite(needed);
    return numeric ? allowed >= needed : entitlement.value === String(required.value);
  });
