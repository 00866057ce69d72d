import { FAILURE_REASONS } from './status-messages';

/** Whether discovery may cover the caller's organization, with its accounts, or the guide's reason why not. */
export type OrganizationAccess = { granted: true; accountIds: string[] } | { granted: false; reason: string };

/**
 * The guide: only the organization's management account onboards the organization, and only once
 * License Manager can access it (the management account linked it in License Manager's settings).
 */
export function organizationAccess(
  accountId: string,
  organization: { managementAccountId: string; memberAccountIds?: string[] } | undefined,
  linked: boolean,
): OrganizationAccess {
  if (!organization) return { granted: false, reason: FAILURE_REASONS.notInOrganization };
  if (organization.managementAccountId !== accountId)
    return { granted: false, reason: FAILURE_REASONS.notManagementAccount };
  if (!linked) return { granted: false, reason: FAILURE_REASONS.organizationNotAccessible };
  const accountIds = [...new Set([accountId, ...(organization.memberAccountIds ?? [])])].sort();
  return { granted: true, accountIds };
}
