import type { LicenseManager } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import type { Idempotency } from '../../licenses/domain/events';
import type { GrantAggregate } from './grant';

/** What a grant needs to know of its licence, read from the licences when the grant is made. */
export interface GrantedLicense {
  licenseArn: string;
  issuerAccountId: string;
  issuerName: string;
  productSku: string;
  homeRegion: string;
  deleted: boolean;
}

/** Who asks, where (the deployment's Region), and when. */
interface Context {
  caller: Caller;
  region: string;
  now: Date;
}

export type GrantCommand =
  | ({
      type: 'CreateGrant';
      arn: string;
      input: LicenseManager.CreateGrantRequest;
      license: GrantedLicense;
      /**
       * The caller's ACTIVE grant that allows CreateGrant, when the caller distributes a licence it
       * received rather than issued; undefined for the issuer.
       */
      parent?: { grantArn: string; grantedOperations: LicenseManager.AllowedOperation[] };
      /**
       * An account grant from an organization's management account to one of its accounts, once the
       * management account has linked its organization (UpdateServiceSettings EnableIntegration):
       * accepted at once (DISABLED), not PENDING_ACCEPT.
       */
      autoAccepted: boolean;
    } & Context &
      Idempotency)
  | ({
      type: 'CreateGrantVersion';
      input: LicenseManager.CreateGrantVersionRequest;
      /** The operations the grant's parent allows (a sub-grant cannot exceed them); undefined for the issuer's grants. */
      parentOperations?: LicenseManager.AllowedOperation[];
      /** Other ACTIVE grants for the same product and grantee, as their streams say now. */
      activeForSameProduct: string[];
    } & Context &
      Idempotency)
  /** Accepting leaves the grant DISABLED, to be activated with CreateGrantVersion. */
  | ({ type: 'AcceptGrant'; arn: string } & Context)
  | ({ type: 'RejectGrant'; arn: string } & Context)
  | ({ type: 'DeleteGrant'; arn: string; version: string; statusReason?: string } & Context)
  | ({ type: 'TagGrant'; arn: string; tags: LicenseManager.Tag[] } & Context)
  | ({ type: 'UntagGrant'; arn: string; tagKeys: string[] } & Context)
  /** Another grant for the same product is being activated with ALL_GRANTS_PERMITTED_BY_ISSUER. */
  | { type: 'ReplaceGrant'; byGrantArn: string; now: Date }
  /** The distribution of an organization or OU grant (`parent`): the sub-grant of one covered account. */
  | { type: 'CreateSubGrant'; arn: string; accountId: string; parent: GrantAggregate; now: Date }
  | { type: 'CompleteDistribution'; subGrantArns: string[]; now: Date }
  | { type: 'FailDistribution'; statusReason: string; now: Date }
  /** The deletion of a distributed grant (`parentArn`): its sub-grants are recalled, then it is deleted. */
  | { type: 'RecallSubGrant'; parentArn: string; now: Date }
  | { type: 'CompleteDeletion'; now: Date };
