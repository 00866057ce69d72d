import type { LicenseManager } from '@lm/api-model';
import type { CataloguedEvents } from '@lm/contracts';
import type { Idempotency } from '../../licenses/domain/events';
import type { GrantAggregate } from './grant';

/** Every change but the creation makes a new version of the grant: `version` is that version. */
export interface Change {
  grantArn: string;
  version: string;
  at: string;
}

export type GrantEvent =
  | { type: 'GrantCreated'; data: Omit<GrantAggregate, 'clientTokens'> & Idempotency }
  /**
   * Accepted, DISABLED until a CreateGrantVersion activates it. Events stored before acceptance
   * stopped activating are followed by a GrantActivated, or carry a statusReason naming the
   * grant for the product that was ACTIVE then.
   */
  | { type: 'GrantAccepted'; data: Change & { statusReason?: string } }
  | { type: 'GrantRejected'; data: Change & { statusReason?: string } }
  /** A CreateGrantVersion: the grant's name, operations, reason and options from this version on. */
  | {
      type: 'GrantVersionCreated';
      data: Change & {
        grantName: string;
        grantedOperations: LicenseManager.AllowedOperation[];
        statusReason?: string;
        options?: LicenseManager.Options;
      } & Idempotency;
    }
  | {
      type: 'GrantActivated';
      data: Change & { activationOverrideBehavior?: LicenseManager.ActivationOverrideBehavior };
    }
  | { type: 'GrantDisabled'; data: Change }
  /** Disabled because another grant for the same product was activated with ALL_GRANTS_PERMITTED_BY_ISSUER. */
  | { type: 'GrantReplaced'; data: Change & { byGrantArn: string } }
  | { type: 'GrantDeleted'; data: Change & { statusReason?: string } }
  /** An organization or OU grant: its sub-grants were created in the same append (WORKFLOW_COMPLETED). */
  | { type: 'GrantDistributed'; data: Change & { subGrantArns: string[] } }
  /** An organization or OU grant that could not be distributed (FAILED_WORKFLOW); statusReason says why. */
  | { type: 'GrantDistributionFailed'; data: Change & { statusReason: string } }
  /** A distributed grant is being deleted (PENDING_DELETE): its sub-grants are recalled, then it is DELETED. */
  | { type: 'GrantDeletionStarted'; data: Change & { statusReason?: string } }
  /** Tags are not part of a grant's versions. */
  | { type: 'GrantTagged'; data: { grantArn: string; tags: LicenseManager.Tag[] } }
  | { type: 'GrantUntagged'; data: { grantArn: string; tagKeys: string[] } };

/** Relayed to lm.events.grants.*: a type missing from the catalogue of @lm/contracts fails to compile here. */
type _Published = CataloguedEvents<'grants', GrantEvent>;

export const GRANT_EVENT_TYPES: readonly GrantEvent['type'][] = [
  'GrantCreated',
  'GrantAccepted',
  'GrantRejected',
  'GrantVersionCreated',
  'GrantActivated',
  'GrantDisabled',
  'GrantReplaced',
  'GrantDeleted',
  'GrantDistributed',
  'GrantDistributionFailed',
  'GrantDeletionStarted',
  'GrantTagged',
  'GrantUntagged',
];
