import { validation } from '@lm/contracts';

/**
 * The tag the guide requires on the secret (and its KMS key): the service-linked role of Linux
 * subscriptions may only read secrets that carry it.
 */
export const PROVIDER_SECRET_TAG = { key: 'LicenseManagerLinuxSubscriptions', value: 'enabled' } as const;

const SECRET_ARN = /^arn:[a-z0-9.-]+:secretsmanager:([a-z0-9.-]*):([a-z0-9.-]*):secret:(.+)$/;

/**
 * The account and Region a SecretArn names. The role's policy also requires
 * aws:ResourceAccount == aws:PrincipalAccount: a secret of another account is refused, as is one
 * of another Region (this deployment's Secrets Manager serves its own Region).
 */
export function ownSecretArn(secretArn: string, owner: { accountId: string; region: string }): void {
  const match = SECRET_ARN.exec(secretArn);
  if (!match) throw validation(`SecretArn ${secretArn} is not a Secrets Manager secret ARN.`);
  const [, region, accountId] = match;
  if (accountId !== owner.accountId)
    throw validation(
      `Secret ${secretArn} belongs to account ${accountId || '(none)'}: the secret must be in your own account (${owner.accountId}).`,
    );
  if (region !== owner.region)
    throw validation(`Secret ${secretArn} is in Region ${region || '(none)'}: the secret must be in ${owner.region}.`);
}

/** Why a secret with these tags may not be read (the guide's tag rule); undefined when it may. */
export function untaggedSecretReason(secretArn: string, tags: Record<string, string>): string | undefined {
  const { key, value } = PROVIDER_SECRET_TAG;
  if (tags[key] === value) return undefined;
  return `Secret ${secretArn} must carry the tag ${key}=${value} for License Manager to read the Red Hat offline token.`;
}

/**
 * The offline token a secret's SecretString holds: the token itself, as the console's "Create a
 * new secret" stores it. Whitespace around it (a pasted line break) is not part of it.
 */
export function offlineTokenIn(secretString: string): string | undefined {
  const token = secretString.trim();
  return token.length > 0 ? token : undefined;
}
