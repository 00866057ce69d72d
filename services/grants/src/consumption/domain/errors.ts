import { AwsError } from '@lm/contracts';

/** No licence the caller may use has the entitlements, or the maximum count is reached. */
export const noEntitlementsAllowed = (message: string) => new AwsError('NoEntitlementsAllowedException', message);

/** The licence does not allow what was asked of it (an entitlement it lacks, a borrow without a borrow configuration). */
export const entitlementNotAllowed = (message: string) => new AwsError('EntitlementNotAllowedException', message);

/**
 * Also what another account gets for a consumption token it does not hold: existence is not
 * disclosed. Named by its lease id, never by the token (a credential: errors reach audit records).
 */
export const consumptionNotFound = (leaseId?: string) =>
  new AwsError(
    'ResourceNotFoundException',
    leaseId === undefined
      ? 'The license consumption token names no license consumption of this account.'
      : `License consumption ${leaseId} does not exist.`,
  );
