import { Injectable } from '@nestjs/common';
import type { LicenseTokenPayload } from '@lm/license-token';
import type { Caller } from '@lm/contracts';

/** The issuer key a licence names: its ARN and the fingerprint clients pin (IssuerDetails). */
export interface IssuerKey {
  keyArn: string;
  keyFingerprint: string;
}

/**
 * The signing keys (the KMS subset) as the licence operations use them. Private keys never leave
 * this: callers get the issuer key's identity and signed tokens only.
 */
@Injectable()
export abstract class SigningKeys {
  /**
   * The key a CreateLicense (Issuer.SignKey) names, by key id or ARN: a key of the caller's own
   * account, Enabled, for SIGN_VERIFY with RSA. Anything else is InvalidParameterValueException.
   */
  abstract resolveIssuerKey(caller: Caller, signKey: string): Promise<IssuerKey>;

  /**
   * The key that signs a licence created without Issuer.SignKey: the caller's managed key
   * (alias/aws/license-manager), created on its first use, one per account and Region.
   */
  abstract managedIssuerKey(caller: Caller): Promise<IssuerKey>;

  /**
   * The payload as a licence token (JWS compact, PS384) signed with the key `keyArn`. A key pending
   * deletion does not sign: FailedDependencyException with ErrorCode KMSInvalidStateException.
   */
  abstract signToken(keyArn: string, payload: LicenseTokenPayload): Promise<string>;

  /**
   * Whether the key `keyArn` may sign now (as signToken would find it), failing as signToken does:
   * checked before a checkout is recorded, so that a key that cannot sign takes no seat.
   */
  abstract assertCanSign(keyArn: string): Promise<void>;
}
