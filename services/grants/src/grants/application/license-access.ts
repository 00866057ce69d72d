import { Injectable } from '@nestjs/common';
import type { LicenseManager } from '@lm/api-model';
import type { Caller } from '@lm/contracts';

/** How a caller reaches a licence: as its issuer, or through an ACTIVE grant. */
export type LicenseRoute =
  | { kind: 'issuer' }
  | {
      kind: 'grant';
      grantArn: string;
      grantedOperations: LicenseManager.AllowedOperation[];
      /**
       * The root buyer: the account that received the licence from its issuer at the top of the
       * grant's chain (usableLicenses says it: a checkout records it for the usage metrics).
       */
      rootBuyerAccountId?: string;
    };

/** A licence (its current version, as GetLicense answers it) and how the caller reaches it. */
export interface AccessibleLicense {
  license: LicenseManager.License & { LicenseArn: string; Version: string };
  issuerAccountId: string;
  route: LicenseRoute;
}

/** What a checkout names: a licence by ARN (borrow) or by issuer key fingerprint and SKU (checkout). */
export type LicenseSelector =
  { licenseArn: string } | { productSku: string; keyFingerprint: string; beneficiary?: string };

/**
 * Who may do what with which licence: the one place where licence status, grant status,
 * grant principals (account, organization, OU with its nested OUs) and GrantedOperations meet.
 * Licences and grants live in this service's views; consumption and tokens ask here.
 */
@Injectable()
export abstract class LicenseAccess {
  /**
   * Licences the caller may use for `operation` now: licence AVAILABLE and within its validity,
   * reached as issuer or through an ACTIVE grant whose GrantedOperations include `operation`.
   * Empty when none. (Rules of one operation, such as a checkout by the issuer having to name a
   * Beneficiary, stay with that operation.) A caller with temporary credentials
   * (`caller.restrictedToLicenseArn`) reaches that licence only.
   */
  abstract usableLicenses(
    caller: Caller,
    operation: LicenseManager.AllowedOperation,
    selector: LicenseSelector,
  ): Promise<AccessibleLicense[]>;

  /**
   * The licence if the caller issued it or is a grantee of one of its grants (in any status but
   * REJECTED or DELETED), honouring `caller.restrictedToLicenseArn`; else ResourceNotFoundException.
   */
  abstract readableLicense(caller: Caller, licenseArn: string): Promise<AccessibleLicense>;
}
