import type { CataloguedEvents } from '@lm/contracts';
import type { SealedSecretValue, SecretCreatedData, SecretTag } from './secret';

/** A secret's events: values only ever sealed (see SealedSecretValue), never in plaintext. */
export type SecretEvent =
  | { type: 'SecretCreated'; data: SecretCreatedData }
  | { type: 'SecretValuePut'; data: SealedSecretValue & { stages: string[]; createdAt: string } }
  | { type: 'SecretTagged'; data: { tags: SecretTag[]; taggedAt: string } }
  | { type: 'SecretUntagged'; data: { tagKeys: string[]; untaggedAt: string } }
  | {
      type: 'SecretDeletionScheduled';
      data: { deletionDate: string; recoveryWindowInDays: number; scheduledAt: string };
    }
  /** Deleted for good: after the recovery window (the sweep), or at once with ForceDeleteWithoutRecovery. */
  | { type: 'SecretDeleted'; data: { deletedAt: string; withoutRecovery: boolean } };

/** Relayed to lm.events.user-subscriptions.*: a type missing from the catalogue of @lm/contracts fails to compile here. */
type _Published = CataloguedEvents<'user-subscriptions', SecretEvent>;

export const SECRET_EVENT_TYPES: readonly SecretEvent['type'][] = [
  'SecretCreated',
  'SecretValuePut',
  'SecretTagged',
  'SecretUntagged',
  'SecretDeletionScheduled',
  'SecretDeleted',
];
