import type { SigningKeyCreatedData } from './signing-key';

export type SigningKeyEvent =
  | { type: 'SigningKeyCreated'; data: SigningKeyCreatedData }
  | {
      type: 'SigningKeyDeletionScheduled';
      data: { deletionDate: string; pendingWindowInDays: number; scheduledAt: string };
    };

export const SIGNING_KEY_EVENT_TYPES: readonly SigningKeyEvent['type'][] = [
  'SigningKeyCreated',
  'SigningKeyDeletionScheduled',
];
