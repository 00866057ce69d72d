import type { LicenseManager } from '@lm/api-model';
import type { Idempotency } from './events';

/** Who asks, where: the deployment's Region is the only home Region a licence can be changed in. */
interface Context {
  accountId: string;
  region: string;
  now: Date;
}

export type LicenseCommand =
  | ({
      type: 'CreateLicense';
      arn: string;
      input: LicenseManager.CreateLicenseRequest;
      /** The issuer key the request's SignKey names, or the account's managed key when it names none. */
      issuer: LicenseManager.IssuerDetails;
    } & Context &
      Idempotency)
  | ({
      type: 'CreateLicenseVersion';
      arn: string;
      input: LicenseManager.CreateLicenseVersionRequest;
      issuer: LicenseManager.IssuerDetails;
    } & Context &
      Idempotency)
  | ({ type: 'DeleteLicense'; arn: string; sourceVersion: string } & Context)
  | ({ type: 'TagLicense'; arn: string; tags: LicenseManager.Tag[] } & Context)
  | ({ type: 'UntagLicense'; arn: string; tagKeys: string[] } & Context)
  /**
   * The service's own: the current version's Validity.End has passed (the expiry sweep asks). A
   * subscription renews, any other licence expires: the decider chooses.
   */
  | { type: 'EndLicenseTerm'; arn: string; now: Date };
