import { tokenTimestamp, type LicenseTokenPayload } from '@lm/license-token';
import type { Checkout } from '../domain/events';

/** The guide's payload of a checkout's SignedToken: what the client verifies offline (with the token it was answered). */
export function tokenPayload(checkout: Checkout, consumptionToken: string): LicenseTokenPayload {
  const metadata = checkout.checkoutMetadata ?? [];
  return {
    entitlementsAllowed: checkout.entitlementsAllowed.map((e) => ({
      name: e.Name,
      unit: e.Unit,
      value: e.Value ?? '',
    })),
    expiration: tokenTimestamp(new Date(checkout.expiration)),
    issuedAt: tokenTimestamp(new Date(checkout.issuedAt)),
    licenseArn: checkout.licenseArn,
    licenseConsumptionToken: consumptionToken,
    ...(checkout.nodeId === undefined ? {} : { nodeId: checkout.nodeId }),
    // A Name/Value list in the API, an object in the token.
    ...(metadata.length === 0
      ? {}
      : { checkoutMetadata: Object.fromEntries(metadata.map((m) => [m.Name ?? '', m.Value ?? ''])) }),
  };
}
