import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { MasterKey } from '@lm/service-kit';
import type { SealedSecretValue } from '../domain/secret';

const SEALING_PURPOSE = 'secrets-manager-value';
const DIGEST_PURPOSE = 'secrets-manager-value-digest';

/** A value as a request carries it: SecretString as text, SecretBinary as base64 (the JSON protocols' blob). */
export type SecretValueInput = { SecretString: string } | { SecretBinary: string };

/**
 * Seals secret values with the deployment's master key (as grants seals signing keys' private
 * halves) and opens them for GetSecretValue; the digest, keyed by the master key too, lets a
 * retry be told from a new value without opening anything and says nothing about the value.
 */
@Injectable()
export class SecretSealing {
  private readonly digestKey: Buffer;

  constructor(private readonly masterKey: MasterKey) {
    this.digestKey = masterKey.derive(DIGEST_PURPOSE);
  }

  seal(versionId: string, input: SecretValueInput): SealedSecretValue {
    const [valueType, bytes] =
      'SecretString' in input
        ? (['SecretString', Buffer.from(input.SecretString, 'utf8')] as const)
        : (['SecretBinary', Buffer.from(input.SecretBinary, 'base64')] as const);
    const valueDigest = createHmac('sha256', this.digestKey).update(valueType).update(bytes).digest('base64');
    return { versionId, valueType, sealedValue: this.masterKey.seal(SEALING_PURPOSE, bytes), valueDigest };
  }

  open(value: SealedSecretValue): SecretValueInput {
    const bytes = this.masterKey.open(SEALING_PURPOSE, value.sealedValue);
    return value.valueType === 'SecretString'
      ? { SecretString: bytes.toString('utf8') }
      : { SecretBinary: bytes.toString('base64') };
  }
}
