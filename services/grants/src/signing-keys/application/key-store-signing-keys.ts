import { Injectable } from '@nestjs/common';
import { signLicenseTokenAsync, type LicenseTokenPayload } from '@lm/license-token';
import type { Caller } from '@lm/contracts';
import { AwsError } from '@lm/contracts';
import { ownKeyId } from '../domain/arn';
import type { SigningKey } from '../domain/signing-key';
import { managedKeyId } from '../domain/managed-key';
import { ManagedSigningKey } from './managed-signing-key';
import { SigningKeyMaterial } from './signing-key-material';
import { SigningKeyQueries } from './signing-key.queries';
import { SigningKeys, type IssuerKey } from './signing-keys';

/**
 * How long a key's state, once read, is trusted before its row is read again. Another
 * replica's ScheduleKeyDeletion takes up to this long to stop this one signing (KMS key state
 * changes are eventually consistent too); this process's own takes effect at once.
 */
const STATE_TTL_MS = 5_000;

const invalidSignKey = (signKey: string, why: string) =>
  new AwsError('InvalidParameterValueException', `SignKey ${signKey} ${why}`);

const issuerKeyOf = (key: SigningKey): IssuerKey => ({ keyArn: key.arn, keyFingerprint: key.fingerprint });

const cannotSign = (errorCode: string, message: string) =>
  new AwsError('FailedDependencyException', message, { ErrorCode: errorCode });

/** SigningKeys served by this service's own key store (the KMS subset). */
@Injectable()
export class KeyStoreSigningKeys extends SigningKeys {
  /**
   * Keys as lately read, by ARN, with when on the monotonic clock: the wall clock stepped back by
   * hours would make a read look fresh for hours (a key scheduled for deletion signing on).
   */
  private readonly reads = new Map<string, { readAt: number; key: Promise<SigningKey | undefined> }>();

  constructor(
    private readonly queries: SigningKeyQueries,
    private readonly material: SigningKeyMaterial,
    private readonly managed: ManagedSigningKey,
  ) {
    super();
  }

  async managedIssuerKey(caller: Caller): Promise<IssuerKey> {
    return issuerKeyOf(await this.managed.of(caller));
  }

  async resolveIssuerKey(caller: Caller, signKey: string): Promise<IssuerKey> {
    let key: SigningKey | undefined;
    try {
      key = await this.queries.findOwned(caller, signKey);
    } catch (error) {
      if (error instanceof AwsError && error.code === 'InvalidArnException')
        throw invalidSignKey(signKey, 'is not a key id or key ARN.');
      throw error;
    }
    // Naming the managed key (by its alias, say) before its first use is its first use.
    if (!key && ownKeyId(signKey, caller) === managedKeyId(caller.accountId, caller.region))
      return this.managedIssuerKey(caller);
    if (!key)
      throw invalidSignKey(
        signKey,
        `is not a signing key of account ${caller.accountId} in ${caller.region} (create one with kms create-key --key-spec RSA_2048 --key-usage SIGN_VERIFY).`,
      );
    // Every key of this store is an RSA key for SIGN_VERIFY: its state is all that is left to check.
    if (key.keyState !== 'Enabled') throw invalidSignKey(signKey, `is ${key.keyState} and cannot sign.`);
    return issuerKeyOf(key);
  }

  async signToken(keyArn: string, payload: LicenseTokenPayload): Promise<string> {
    const keyId = await this.enabledKeyId(keyArn);
    const privateKey = await this.material.privateKey(keyId);
    return signLicenseTokenAsync(payload, privateKey, 'PS384', { kid: keyArn });
  }

  async assertCanSign(keyArn: string): Promise<void> {
    await this.enabledKeyId(keyArn);
  }

  /** This process changed the key's state: the next signature reads it again. */
  keyStateChanged(keyArn: string): void {
    this.reads.delete(keyArn);
  }

  /** The id of the key, if it may sign. */
  private async enabledKeyId(keyArn: string): Promise<string> {
    const key = await this.recentlyRead(keyArn);
    if (!key) throw cannotSign('NotFoundException', `The signing key ${keyArn} does not exist.`);
    if (key.keyState !== 'Enabled')
      throw cannotSign('KMSInvalidStateException', `The signing key ${keyArn} is ${key.keyState} and cannot sign.`);
    return key.keyId;
  }

  /** The key as read at most STATE_TTL_MS ago; concurrent signatures share one read, and a failed or empty one is not kept. */
  private recentlyRead(keyArn: string): Promise<SigningKey | undefined> {
    const cached = this.reads.get(keyArn);
    if (cached && performance.now() - cached.readAt < STATE_TTL_MS) return cached.key;
    const key = this.queries.byArn(keyArn);
    this.reads.set(keyArn, { readAt: performance.now(), key });
    const forget = () => {
      if (this.reads.get(keyArn)?.key === key) this.reads.delete(keyArn);
    };
    key.then((found) => {
      if (!found) forget();
    }, forget);
    return key;
  }
}
