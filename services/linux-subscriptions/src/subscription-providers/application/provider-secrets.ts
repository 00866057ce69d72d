/** Whose secret is read: an account's, in this deployment's Region. */
export interface SecretOwner {
  accountId: string;
  region: string;
}

/**
 * Why a secret could not be used: it does not exist, is scheduled for deletion, holds no text.
 * The message names the secret and never its value.
 */
export class SecretUnusableError extends Error {}

/**
 * The port through which providers read their secret in the Secrets Manager subset, as its owner
 * would with DescribeSecret and GetSecretValue. Rejects with SecretUnusableError for what the
 * owner's request would be refused; with any other error when the secrets' service did not answer.
 */
export interface ProviderSecrets {
  /** The secret's tags (DescribeSecret). */
  tagsOf(owner: SecretOwner, secretArn: string): Promise<Record<string, string>>;
  /** The AWSCURRENT SecretString (GetSecretValue): kept in memory only, never recorded. */
  valueOf(owner: SecretOwner, secretArn: string): Promise<string>;
}

export const PROVIDER_SECRETS = Symbol('ProviderSecrets');
