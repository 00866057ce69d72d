import type { Decider } from '@lm/event-store';
import type { KeyOwner, SigningKeyCommand } from './commands';
import { keyInvalidState, keyNotFound, kmsAccessDenied } from './errors';
import { validation } from '@lm/contracts';
import type { SigningKeyEvent } from './events';
import { MANAGED_KEY_ALIAS } from './managed-key';
import { evolveSigningKey, initialSigningKeyState, type SigningKey, type SigningKeyState } from './signing-key';

const DAY_MS = 24 * 3600_000;
const MIN_WINDOW_DAYS = 7;
const MAX_WINDOW_DAYS = 30;

/** The owner's key; another account's or Region's is reported as missing. */
function ownedKey(state: SigningKeyState, owner: KeyOwner, named: string): SigningKey {
  if (state.status !== 'present' || state.key.accountId !== owner.accountId || state.key.region !== owner.region)
    throw keyNotFound(named);
  return state.key;
}

export function decideSigningKey(command: SigningKeyCommand, state: SigningKeyState): SigningKeyEvent[] {
  switch (command.type) {
    case 'CreateSigningKey':
      if (state.status !== 'absent') throw keyInvalidState(`Key ${command.key.arn} already exists`);
      return [{ type: 'SigningKeyCreated', data: command.key }];
    case 'CreateManagedSigningKey':
      if (state.status === 'present') return [];
      return [{ type: 'SigningKeyCreated', data: { ...command.key, keyManager: 'AWS' } }];
    case 'ScheduleSigningKeyDeletion': {
      const key = ownedKey(state, command.owner, command.keyArn);
      // The licences signed with it have no other key; KMS refuses this for AWS managed keys too.
      if (key.keyManager === 'AWS')
        throw kmsAccessDenied(`${key.arn} is an AWS managed key (${MANAGED_KEY_ALIAS}): it cannot be deleted.`);
      const window = command.pendingWindowInDays ?? MAX_WINDOW_DAYS;
      if (!Number.isInteger(window) || window < MIN_WINDOW_DAYS || window > MAX_WINDOW_DAYS) {
        throw validation(`PendingWindowInDays must be between ${MIN_WINDOW_DAYS} and ${MAX_WINDOW_DAYS}`);
      }
      if (key.keyState !== 'Enabled') throw keyInvalidState(`${key.arn} is pending deletion.`);
      const deletionDate = new Date(command.now.getTime() + window * DAY_MS).toISOString();
      return [
        {
          type: 'SigningKeyDeletionScheduled',
          data: { deletionDate, pendingWindowInDays: window, scheduledAt: command.now.toISOString() },
        },
      ];
    }
  }
}

export const signingKeyDecider: Decider<SigningKeyCommand, SigningKeyEvent, SigningKeyState> = {
  initialState: initialSigningKeyState,
  evolve: evolveSigningKey,
  decide: decideSigningKey,
};

const STREAM_PREFIX = 'signing-key-';

export const signingKeyStream = (keyId: string) => `${STREAM_PREFIX}${keyId}`;

export const signingKeyIdOfStream = (streamName: string) => streamName.slice(STREAM_PREFIX.length);

export const isSigningKeyStream = (streamName: string) => streamName.startsWith(STREAM_PREFIX);
