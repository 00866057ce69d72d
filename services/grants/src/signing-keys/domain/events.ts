import type { SigningKeyCreatedData } from './signing-key';
import type { CataloguedEvents } from '@lm/contracts';

export type SigningKeyEvent =
  | { type: 'SigningKeyCreated'; data: SigningKeyCreatedData }
  | {
      type: 'SigningKeyDeletionScheduled';
      data: { deletionDate: string; pendingWindowInDays: number; scheduledAt: string };
    };

/** Relayed to lm.events.grants.*: a type missing from the catalogue of @lm/contracts fails to compile here. */
type _Published = CataloguedEvents<'grants', SigningKeyEvent>;

export const SIGNING_KEY_EVENT_TYPES: readonly SigningKeyEvent['type'][] = [
  'SigningKeyCreated',
  'SigningKeyDeletionScheduled',
];
