import type { LicenseManager } from '@lm/api-model';

/** The guide's "License status for grants" tables, in the console's words. */
export const LICENSE_STATUS_LABELS: Record<LicenseManager.LicenseStatus, string> = {
  AVAILABLE: 'Available',
  PENDING_AVAILABLE: 'Pending available',
  DEACTIVATED: 'Deactivated',
  SUSPENDED: 'Suspended',
  EXPIRED: 'Expired',
  PENDING_DELETE: 'Pending delete',
  DELETED: 'Deleted',
};

export const GRANT_STATUS_LABELS: Record<LicenseManager.GrantStatus, string> = {
  PENDING_WORKFLOW: 'Pending workflow',
  PENDING_ACCEPT: 'Pending acceptance',
  REJECTED: 'Rejected',
  ACTIVE: 'Active',
  FAILED_WORKFLOW: 'Failed workflow',
  DELETED: 'Deleted',
  PENDING_DELETE: 'Pending delete',
  DISABLED: 'Disabled',
  WORKFLOW_COMPLETED: 'Workflow completed',
};

export const licenseStatusLabel = (status: LicenseManager.LicenseStatus | undefined) =>
  status ? LICENSE_STATUS_LABELS[status] : '—';
export const grantStatusLabel = (status: LicenseManager.GrantStatus | undefined) =>
  status ? GRANT_STATUS_LABELS[status] : '—';

/** What a person may do with a grant, in the guide's words. */
export type GrantAction = 'accept-and-activate' | 'accept' | 'reject' | 'activate' | 'deactivate';

export const GRANT_ACTION_LABELS: Record<GrantAction, string> = {
  'accept-and-activate': 'Accept & activate license',
  accept: 'Accept license',
  reject: 'Reject license',
  activate: 'Activate license',
  deactivate: 'Deactivate license',
};

/**
 * The actions the guide offers for a grant in this status: the grantee accepts (the grant is then
 * Disabled), accepts and activates, or rejects a grant pending acceptance; either side activates a
 * Disabled grant and deactivates an Active one. A rejected or deleted grant, or one to an organization
 * (whose sub-grants carry the statuses), has none.
 */
export function grantActions(status: LicenseManager.GrantStatus, side: 'grantee' | 'grantor'): GrantAction[] {
  switch (status) {
    case 'PENDING_ACCEPT':
      return side === 'grantee' ? ['accept-and-activate', 'accept', 'reject'] : [];
    case 'DISABLED':
      return ['activate'];
    case 'ACTIVE':
      return ['deactivate'];
    default:
      return [];
  }
}
