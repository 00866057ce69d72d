import { createHash, randomBytes, randomInt } from 'node:crypto';

const UPPER_ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

const randomUpperAlphanumeric = (length: number): string =>
  Array.from({ length }, () => UPPER_ALPHANUMERIC[randomInt(UPPER_ALPHANUMERIC.length)]).join('');

/** AWS's form of a temporary access key id: `ASIA` and 16 upper-case letters and digits. */
export const newTemporaryAccessKeyId = (): string => `ASIA${randomUpperAlphanumeric(16)}`;

/** 40 characters, as AWS secret access keys are (30 random bytes in base64). */
export const newSecretAccessKey = (): string => randomBytes(30).toString('base64');

/** What a client sends back as X-Amz-Security-Token: long and random (192 bytes, base64). */
export const newSessionToken = (): string => randomBytes(192).toString('base64');

const TEMPORARY_ACCESS_KEY_ID = /^ASIA[A-Z0-9]{16}$/;

export const isTemporaryAccessKeyId = (value: string): boolean => TEMPORARY_ACCESS_KEY_ID.test(value);

/** The role's name: the last segment of its path (`arn:aws:iam::<account>:role/<path>/<name>`). */
export const roleName = (roleArn: string): string => roleArn.slice(roleArn.lastIndexOf('/') + 1);

/** `arn:aws:sts::<account>:assumed-role/<role name>/<session name>`, as STS names a role session. */
export const assumedRoleArn = (accountId: string, roleArn: string, sessionName: string): string =>
  `arn:aws:sts::${accountId}:assumed-role/${roleName(roleArn)}/${sessionName}`;

/**
 * `<role id>:<session name>`. A role id is `AROA` and 16 upper-case letters and digits; there is
 * no IAM here to hold one, so it is derived from the role ARN and is the same for every session.
 */
export function assumedRoleId(roleArn: string, sessionName: string): string {
  const digest = createHash('sha256').update(roleArn).digest();
  const roleId = Array.from(
    digest.subarray(0, 16),
    (byte) => UPPER_ALPHANUMERIC[byte % UPPER_ALPHANUMERIC.length],
  ).join('');
  return `AROA${roleId}:${sessionName}`;
}
