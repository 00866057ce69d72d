import { Injectable } from '@nestjs/common';
import { signLicenseTokenAsync, type LicenseTokenPayload } from '@lm/license-token';
import type { Caller } from '@lm/messaging';
import { AwsError } from '@lm/service-kit';
import { parseKeyArn } from '../domain/signing-key/arn';
import type { SigningKey } from '../domain/signing-key/signing-key';
import { SigningKeyMaterial } from './signing-key-material';
import { SigningKeyQueries } from './signing-keys.queries';
import { SigningKeys, type IssuerKey } from './signing-keys';

/**
 * How long a key found Enabled is trusted to still be, before its row is read again. Another
 * replica's ScheduleKeyDeletion takes up to this long to stop this one signing (KMS key state
 * changes are eventually consistent too); this process's own takes effect at once.
 */
const STATE_TTL_MS = 5_000;

const invalidSignKey = (signKey: string, why: string) => new AwsError('InvalidParameterValueException', `SignKey ${signKey} ${why}`);

const cannotSign = (errorCode: string, message: string) => new AwsError('FailedDependencyException', message, { ErrorCode: errorCode });

/** SigningKeys served by this service's own key store (the KMS subset). */
@Injectable()
export class KeyStoreSigningKeys extends SigningKeys {
  /** Keys lately found Enabled, and until when that is trusted. */
  private readonly enabledUntil = new Map<string, number>();

  constructor(
    private readonly queries: SigningKeyQueries,
    private readonly material: SigningKeyMaterial,
  ) {
    super();
  }

  async resolveIssuerKey(caller: Caller, signKey: string): Promise<IssuerKey> {
    let key: SigningKey | undefined;
    try {
      key = await this.queries.findOwned(caller, signKey);
    } catch (error) {
      if (error instanceof AwsError && error.code === 'InvalidArnException') throw invalidSignKey(signKey, 'is not a key id or key ARN.');
      throw error;
    }
    if (!key) throw invalidSignKey(signKey, `is not a signing key of account ${caller.accountId} in ${caller.region} (create one with kms create-key --key-spec RSA_2048 --key-usage SIGN_VERIFY).`);
    // Every key of this store is an RSA key for SIGN_VERIFY: its state is all that is left to check.
    if (key.keyState !== 'Enabled') throw invalidSignKey(signKey, `is ${key.keyState} and cannot sign.`);
    return { keyArn: key.arn, keyFingerprint: key.fingerprint };
  }

  async signToken(keyArn: string, payload: LicenseTokenPayload): Promise<string> {
    const keyId = await this.enabledKeyId(keyArn);
    const privateKey = await this.material.privateKey(keyId);
    return signLicenseTokenAsync(payload, privateKey, 'PS384', { kid: keyArn });
  }

  /** This process changed the key's state: the next signature reads it again. */
  keyStateChanged(keyArn: string): void {
    this.enabledUntil.delete(keyArn);
  }

  /** The id of the key, if it may sign. */
  private async enabledKeyId(keyArn: string): Promise<string> {
    const parts = parseKeyArn(keyArn);
    if (!parts) throw cannotSign('InvalidArnException', `${keyArn} is not a key ARN.`);
    if ((this.enabledUntil.get(keyArn) ?? 0) > Date.now()) return parts.keyId;
    const key = await this.queries.byArn(keyArn);
    if (!key) throw cannotSign('NotFoundException', `The signing key ${keyArn} does not exist.`);
    if (key.keyState !== 'Enabled') throw cannotSign('KMSInvalidStateException', `The signing key ${keyArn} is ${key.keyState} and cannot sign.`);
    this.enabledUntil.set(keyArn, Date.now() + STATE_TTL_MS);
    return parts.keyId;
  }
}
