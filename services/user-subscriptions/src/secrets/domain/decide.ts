import type { Decider } from '@lm/event-store';
import type { SecretCommand, SecretTarget } from './commands';
import {
  invalidParameter,
  invalidRequest,
  markedForDeletion,
  secretExists,
  secretNotFound,
  versionExists,
} from './errors';
import type { SecretEvent } from './events';
import { checkName, checkTags } from './rules';
import { evolveSecret, initialSecretState, type SealedSecretValue, type Secret, type SecretState } from './secret';

const DAY_MS = 24 * 3600_000;
const MIN_RECOVERY_DAYS = 7;
const MAX_RECOVERY_DAYS = 30;

/** The secret the request names; one since deleted and created again under the same name is another secret. */
function named(state: SecretState, target: SecretTarget): Secret {
  if (state.status !== 'present' || (target.arn !== undefined && target.arn !== state.secret.arn))
    throw secretNotFound();
  return state.secret;
}

/** Secrets Manager refuses reads and changes of a secret scheduled for deletion. */
function usable(state: SecretState, target: SecretTarget): Secret {
  const secret = named(state, target);
  if (secret.deletionDate !== undefined) throw markedForDeletion();
  return secret;
}

/** Whether the secret already has this version: the same value is a retry, another one a conflict. */
function isRetry(secret: Secret, value: SealedSecretValue): boolean {
  const existing = secret.versions.find((version) => version.versionId === value.versionId);
  if (!existing) return false;
  if (existing.valueDigest !== value.valueDigest || existing.valueType !== value.valueType) throw versionExists();
  return true;
}

const valuePut = (value: SealedSecretValue, stages: string[], at: string): SecretEvent => ({
  type: 'SecretValuePut',
  data: { ...value, stages, createdAt: at },
});

export function decideSecret(command: SecretCommand, state: SecretState): SecretEvent[] {
  switch (command.type) {
    case 'CreateSecret': {
      checkName(command.secret.name);
      checkTags(command.secret.tags);
      if (state.status === 'present') {
        if (state.secret.deletionDate !== undefined)
          throw invalidRequest(
            "You can't create this secret because a secret with this name is already scheduled for deletion.",
          );
        if (command.value && isRetry(state.secret, command.value)) return [];
        throw secretExists(command.secret.name);
      }
      const created: SecretEvent = { type: 'SecretCreated', data: command.secret };
      return command.value ? [created, valuePut(command.value, ['AWSCURRENT'], command.secret.createdAt)] : [created];
    }
    case 'PutSecretValue': {
      const secret = usable(state, command.target);
      if (isRetry(secret, command.value)) return [];
      return [valuePut(command.value, [...new Set(command.stages)], command.now.toISOString())];
    }
    case 'TagSecret': {
      const secret = usable(state, command.target);
      const keys = new Set(command.tags.map((tag) => tag.Key));
      checkTags([...secret.tags.filter((tag) => !keys.has(tag.Key)), ...command.tags]);
      return [{ type: 'SecretTagged', data: { tags: command.tags, taggedAt: command.now.toISOString() } }];
    }
    case 'UntagSecret': {
      const secret = usable(state, command.target);
      const tagKeys = [...new Set(command.tagKeys)].filter((key) => secret.tags.some((tag) => tag.Key === key));
      return tagKeys.length === 0
        ? []
        : [{ type: 'SecretUntagged', data: { tagKeys, untaggedAt: command.now.toISOString() } }];
    }
    case 'DeleteSecret': {
      const secret = named(state, command.target);
      const { recoveryWindowInDays: window, forceDeleteWithoutRecovery: force, now } = command;
      if (force && window !== undefined)
        throw invalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
      if (force) return [{ type: 'SecretDeleted', data: { deletedAt: now.toISOString(), withoutRecovery: true } }];
      const days = window ?? MAX_RECOVERY_DAYS;
      if (!Number.isInteger(days) || days < MIN_RECOVERY_DAYS || days > MAX_RECOVERY_DAYS)
        throw invalidParameter(
          `The RecoveryWindowInDays value must be between ${MIN_RECOVERY_DAYS} and ${MAX_RECOVERY_DAYS} days (inclusive).`,
        );
      if (secret.deletionDate !== undefined) throw markedForDeletion();
      const deletionDate = new Date(now.getTime() + days * DAY_MS).toISOString();
      return [
        {
          type: 'SecretDeletionScheduled',
          data: { deletionDate, recoveryWindowInDays: days, scheduledAt: now.toISOString() },
        },
      ];
    }
    case 'PurgeSecret': {
      const due =
        state.status === 'present' &&
        state.secret.deletionDate !== undefined &&
        Date.parse(state.secret.deletionDate) <= command.now.getTime();
      return due
        ? [{ type: 'SecretDeleted', data: { deletedAt: command.now.toISOString(), withoutRecovery: false } }]
        : [];
    }
  }
}

export const secretDecider: Decider<SecretCommand, SecretEvent, SecretState> = {
  initialState: initialSecretState,
  evolve: evolveSecret,
  decide: decideSecret,
};

const STREAM_PREFIX = 'secret-';

/** One stream per account, Region and name (names are unique there), so that two creations of a name race on it. */
export const secretStream = (accountId: string, region: string, name: string) =>
  `${STREAM_PREFIX}${accountId}:${region}:${name}`;

export const isSecretStream = (streamName: string) => streamName.startsWith(STREAM_PREFIX);
