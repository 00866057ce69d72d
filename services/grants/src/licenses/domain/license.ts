import { withoutTags, withTags } from '@lm/contracts';
import type { LicenseManager } from '@lm/api-model';
import type { LicenseDocument, LicenseEvent } from './events';

export interface LicenseAggregate {
  arn: string;
  issuerAccountId: string;
  /** Every version, oldest first: version n is versions[n - 1]; each is immutable. */
  versions: LicenseDocument[];
  tags: LicenseManager.Tag[];
  /** The ClientTokens of the requests that made versions, for idempotent retries. */
  clientTokens: Record<string, { requestHash: string; version: string }>;
  deletionDate?: string;
  /** When the current version expired; a new version clears it. */
  expiredAt?: string;
  /** Where renewals moved the current version's Validity.End; a new version clears it. */
  renewedUntil?: string;
}

export type LicenseState = { status: 'absent' } | { status: 'present'; license: LicenseAggregate };

export const initialLicenseState = (): LicenseState => ({ status: 'absent' });

/** The latest version as the issuer wrote it. */
export const issuedVersion = (license: LicenseAggregate): LicenseDocument =>
  license.versions[license.versions.length - 1];

/**
 * The licence as it reads now: its latest version, DELETED once the licence is deleted, EXPIRED
 * once that version's validity ended, with the Validity.End of its last renewal. Like deletion,
 * expiry and renewal change the current version in place (no new version): versions are what the
 * issuer wrote.
 */
export function currentLicense(license: LicenseAggregate): LicenseDocument {
  const issued = issuedVersion(license);
  const latest = license.renewedUntil
    ? { ...issued, Validity: { ...issued.Validity, End: license.renewedUntil } }
    : issued;
  if (license.deletionDate) return { ...latest, Status: 'DELETED' };
  return license.expiredAt ? { ...latest, Status: 'EXPIRED' } : latest;
}

export function evolveLicense(state: LicenseState, event: LicenseEvent): LicenseState {
  switch (event.type) {
    case 'LicenseCreated': {
      const { license, issuerAccountId, tags, clientToken, requestHash } = event.data;
      return {
        status: 'present',
        license: {
          arn: license.LicenseArn,
          issuerAccountId,
          versions: [license],
          tags,
          clientTokens: { [clientToken]: { requestHash, version: license.Version } },
        },
      };
    }
    case 'LicenseVersionCreated': {
      if (state.status !== 'present') return state;
      const { license, clientToken, requestHash } = event.data;
      return {
        status: 'present',
        license: {
          ...state.license,
          versions: [...state.license.versions, license],
          // The new version's own Status and Validity apply: a licence expired is revived by a new end.
          expiredAt: undefined,
          renewedUntil: undefined,
          clientTokens: { ...state.license.clientTokens, [clientToken]: { requestHash, version: license.Version } },
        },
      };
    }
    case 'LicenseDeleted':
      return state.status === 'present'
        ? { status: 'present', license: { ...state.license, deletionDate: event.data.deletionDate } }
        : state;
    case 'LicenseExpired':
      return state.status === 'present'
        ? { status: 'present', license: { ...state.license, expiredAt: event.data.expiredAt } }
        : state;
    case 'LicenseRenewed':
      return state.status === 'present'
        ? { status: 'present', license: { ...state.license, renewedUntil: event.data.newEnd } }
        : state;
    case 'LicenseTagged':
      return state.status === 'present'
        ? { status: 'present', license: { ...state.license, tags: withTags(state.license.tags, event.data.tags) } }
        : state;
    case 'LicenseUntagged':
      return state.status === 'present'
        ? {
            status: 'present',
            license: { ...state.license, tags: withoutTags(state.license.tags, event.data.tagKeys) },
          }
        : state;
  }
}
