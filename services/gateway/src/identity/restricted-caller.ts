import type { ApiId } from '@lm/api-model';
import type { Caller } from '@lm/contracts';

/**
 * What temporary credentials from AssumeRoleWithWebIdentity may do: consume the one licence
 * they were issued for (the grants service checks that the call names that licence).
 */
const CONSUMING_OPERATIONS: Partial<Record<ApiId, ReadonlySet<string>>> = {
  'license-manager': new Set([
    'CheckoutLicense',
    'CheckoutBorrowLicense',
    'CheckInLicense',
    'ExtendLicenseConsumption',
    'GetLicense',
    'GetLicenseUsage',
  ]),
};

/** Whether a caller may call an operation at all: any operation, unless its credentials are limited to one licence. */
export function mayCall(caller: Caller, api: ApiId, operation: string): boolean {
  if (caller.restrictedToLicenseArn === undefined) return true;
  return CONSUMING_OPERATIONS[api]?.has(operation) === true;
}
