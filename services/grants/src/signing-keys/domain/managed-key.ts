import { createHash } from 'node:crypto';

/**
 * The key this service manages for an account that creates a licence without Issuer.SignKey, as
 * AWS signs such licences with a key it manages. Like KMS's AWS managed keys it has an
 * `aws/<service>` alias and KeyManager AWS, and its owner cannot delete it.
 */
export const MANAGED_KEY_ALIAS = 'alias/aws/license-manager';

export const MANAGED_KEY_DESCRIPTION =
  'Default key that signs License Manager licences when no other key is defined (Issuer.SignKey)';

/**
 * The managed key's id, derived from its account and Region: one key per account and Region by
 * construction, because every first use appends the creation to the same stream (signing-key-<id>)
 * at the version "no stream yet", and only one such append can succeed.
 */
export function managedKeyId(accountId: string, region: string): string {
  const hex = createHash('sha256').update(`${MANAGED_KEY_ALIAS}:${accountId}:${region}`).digest('hex');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20, 32)].join('-');
}

/** Whether a KeyId member names the managed key by its alias (or the alias ARN) in the owner's account and Region. */
export function namesManagedKeyAlias(reference: string, owner: { accountId: string; region: string }): boolean {
  return (
    reference === MANAGED_KEY_ALIAS ||
    reference === `arn:aws:kms:${owner.region}:${owner.accountId}:${MANAGED_KEY_ALIAS}`
  );
}
