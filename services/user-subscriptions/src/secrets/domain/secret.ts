import type { SecretEvent } from './events';

/** The staging label of the version GetSecretValue answers by default. */
export const AWSCURRENT = 'AWSCURRENT';
/** The label the former AWSCURRENT version takes when another becomes current. */
export const AWSPREVIOUS = 'AWSPREVIOUS';
/** Secrets Manager keeps about 100 versions: the oldest versions without a staging label go first. */
export const MAX_VERSIONS = 100;

export interface SecretTag {
  Key: string;
  Value: string;
}

/**
 * A value as the domain holds it: sealed with the master key (never the plaintext), with a keyed
 * digest that tells whether a retry carries the same value without opening it.
 */
export interface SealedSecretValue {
  /** The ClientRequestToken of the call that put it. */
  versionId: string;
  valueType: 'SecretString' | 'SecretBinary';
  /** AES-256-GCM under the master key's secrets purpose, base64. */
  sealedValue: string;
  /** HMAC-SHA256 of the value under a key derived from the master key, base64. */
  valueDigest: string;
}

export interface SecretVersion extends SealedSecretValue {
  stages: string[];
  createdAt: string;
}

export interface SecretCreatedData {
  /** arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 random characters> */
  arn: string;
  name: string;
  accountId: string;
  region: string;
  description?: string;
  tags: SecretTag[];
  createdAt: string;
}

export interface Secret extends SecretCreatedData {
  lastChangedAt: string;
  /** Newest last. */
  versions: SecretVersion[];
  /** Set while the secret is scheduled for deletion: when the sweep deletes it. */
  deletionDate?: string;
  /** When DeleteSecret scheduled it (Secrets Manager's DeletedDate). */
  deletedDate?: string;
}

/** One stream per account, Region and name: a secret deleted for good leaves the name free again. */
export type SecretState = { status: 'absent' } | { status: 'present'; secret: Secret };

export const initialSecretState = (): SecretState => ({ status: 'absent' });

/** The versions once `stages` are given to a new version: labels move, AWSCURRENT's former holder becomes AWSPREVIOUS. */
function restage(versions: SecretVersion[], added: SecretVersion): SecretVersion[] {
  const movesCurrent = added.stages.includes(AWSCURRENT);
  const formerCurrent = versions.find((version) => version.stages.includes(AWSCURRENT));
  const kept = versions.map((version) => {
    let stages = version.stages.filter((stage) => !added.stages.includes(stage));
    if (movesCurrent) stages = stages.filter((stage) => stage !== AWSPREVIOUS);
    if (movesCurrent && version === formerCurrent) stages = [...stages, AWSPREVIOUS];
    return { ...version, stages };
  });
  const all = [...kept, added];
  let surplus = all.length - MAX_VERSIONS;
  return all.filter((version) => !(surplus > 0 && version.stages.length === 0 && surplus-- > 0));
}

export function evolveSecret(state: SecretState, event: SecretEvent): SecretState {
  if (event.type === 'SecretCreated')
    return { status: 'present', secret: { ...event.data, lastChangedAt: event.data.createdAt, versions: [] } };
  if (state.status !== 'present') return state;
  const secret = state.secret;
  switch (event.type) {
    case 'SecretValuePut': {
      const { stages, createdAt, ...value } = event.data;
      const versions = restage(secret.versions, { ...value, stages, createdAt });
      return { status: 'present', secret: { ...secret, versions, lastChangedAt: createdAt } };
    }
    case 'SecretTagged': {
      const keys = new Set(event.data.tags.map((tag) => tag.Key));
      const tags = [...secret.tags.filter((tag) => !keys.has(tag.Key)), ...event.data.tags];
      return { status: 'present', secret: { ...secret, tags, lastChangedAt: event.data.taggedAt } };
    }
    case 'SecretUntagged': {
      const removed = new Set(event.data.tagKeys);
      const tags = secret.tags.filter((tag) => !removed.has(tag.Key));
      return { status: 'present', secret: { ...secret, tags, lastChangedAt: event.data.untaggedAt } };
    }
    case 'SecretDeletionScheduled':
      return {
        status: 'present',
        secret: { ...secret, deletionDate: event.data.deletionDate, deletedDate: event.data.scheduledAt },
      };
    case 'SecretDeleted':
      return { status: 'absent' };
  }
}

/** The version GetSecretValue reads: by id, by staging label (AWSCURRENT unless said), or both. */
export function versionOf(secret: Secret, versionId?: string, stage?: string): SecretVersion | undefined {
  const label = stage ?? (versionId === undefined ? AWSCURRENT : undefined);
  return secret.versions.find(
    (version) =>
      (versionId === undefined || version.versionId === versionId) &&
      (label === undefined || version.stages.includes(label)),
  );
}
