import { SigningKeys } from '../src/signing-keys/application/signing-keys';

/** The issuer's key fingerprint that FixedSigningKeys resolves every SignKey (or none) to. */
export const FIXED_KEY_FINGERPRINT = 'aws:111111111111:issuer:f00d';

/** The issuer key, as the signing keys would resolve it, for suites that sign nothing. */
export class FixedSigningKeys extends SigningKeys {
  resolveIssuerKey = async () => ({
    keyArn: 'arn:aws:kms:us-east-1:111111111111:key/k',
    keyFingerprint: FIXED_KEY_FINGERPRINT,
  });
  managedIssuerKey = this.resolveIssuerKey;
  signToken = async () => 'unused';
  assertCanSign = async () => undefined;
}
