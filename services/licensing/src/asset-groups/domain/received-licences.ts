import type { GrantEventType } from '@lm/contracts';
import type { Asset } from './rule-statements';

/**
 * The status each grant event leaves its grant in (the grants service's grant states); the
 * events not listed (a new version's name and operations, tags) leave it as it was.
 */
export const GRANT_STATUS_AFTER: Readonly<Partial<Record<GrantEventType, string>>> = {
  GrantAccepted: 'DISABLED',
  GrantRejected: 'REJECTED',
  GrantActivated: 'ACTIVE',
  GrantDisabled: 'DISABLED',
  GrantReplaced: 'DISABLED',
  GrantDeleted: 'DELETED',
  GrantDistributed: 'WORKFLOW_COMPLETED',
  GrantDistributionFailed: 'FAILED_WORKFLOW',
  GrantDeletionStarted: 'PENDING_DELETE',
};

/**
 * A grant gives its account the licence when it is ACTIVE and so is what it comes from: the licence
 * itself, or a parent grant that is ACTIVE (a grant distributed from a received grant) or
 * WORKFLOW_COMPLETED (a sub-grant of an organization or OU grant), as the grants service's licence
 * access says.
 */
export const GRANT_STATUS_GIVING = 'ACTIVE';
export const PARENT_STATUSES_GIVING = ['ACTIVE', 'WORKFLOW_COMPLETED'];

/** A licence deleted or past its term is no longer received: its issuer keeps it, with that status. */
export const STATUSES_NOT_RECEIVED = ['DELETED', 'EXPIRED'];

/** A licence as its events have made it so far: each part with the stream version of the event that set it. */
export interface LicenceRecord {
  /** Its current version as license rules see it, LicenseStatus included; none until a version's event is applied. */
  asset: Asset | null;
  assetVersion: number;
  status: string | null;
  statusVersion: number;
}

export const NO_LICENCE: LicenceRecord = { asset: null, assetVersion: 0, status: null, statusVersion: 0 };

const withLicenseStatus = (asset: Asset | null, status: string | null): Asset | null =>
  asset && status ? { ...asset, values: { ...asset.values, LicenseStatus: [status] } } : asset;

/**
 * A version of the licence (LicenseCreated, LicenseVersionCreated) at stream version `version`:
 * its document, and its status unless a later event set the status. An event older than what
 * the record holds (applied late) changes nothing.
 */
export function withVersion(record: LicenceRecord, asset: Asset, version: number): LicenceRecord {
  if (version <= record.assetVersion) return record;
  const statusOfVersion = asset.values.LicenseStatus?.[0] ?? null;
  const status = version > record.statusVersion ? statusOfVersion : record.status;
  return {
    asset: withLicenseStatus(asset, status),
    assetVersion: version,
    status,
    statusVersion: Math.max(version, record.statusVersion),
  };
}

/** A change of the licence's status alone (LicenseDeleted, LicenseExpired) at stream version `version`. */
export function withStatus(record: LicenceRecord, status: string, version: number): LicenceRecord {
  if (version <= record.statusVersion) return record;
  return { ...record, asset: withLicenseStatus(record.asset, status), status, statusVersion: version };
}
