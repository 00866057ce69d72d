import type { Kms } from '@lm/api-model';
import type { SigningKey } from '../domain/signing-key';

/** What an RSA SIGN_VERIFY key of KMS lists; licence tokens use RSASSA_PSS_SHA_384 (JWT_PS384). */
const RSA_SIGNING_ALGORITHMS: Kms.SigningAlgorithmSpec[] = [
  'RSASSA_PSS_SHA_256',
  'RSASSA_PSS_SHA_384',
  'RSASSA_PSS_SHA_512',
  'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384',
  'RSASSA_PKCS1_V1_5_SHA_512',
];

const epochSeconds = (iso: string): number => Date.parse(iso) / 1000;

export function toKeyMetadata(key: SigningKey): Kms.KeyMetadata {
  return {
    AWSAccountId: key.accountId,
    KeyId: key.keyId,
    Arn: key.arn,
    CreationDate: epochSeconds(key.createdAt),
    Enabled: key.keyState === 'Enabled',
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: key.keyState,
    DeletionDate: key.deletionDate === undefined ? undefined : epochSeconds(key.deletionDate),
    Origin: 'AWS_KMS',
    KeyManager: key.keyManager ?? 'CUSTOMER',
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    SigningAlgorithms: RSA_SIGNING_ALGORITHMS,
    MultiRegion: false,
  };
}

export function toGetPublicKeyResponse(key: SigningKey): Kms.GetPublicKeyResponse {
  return {
    KeyId: key.arn,
    PublicKey: key.publicKey,
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    KeyUsage: key.keyUsage,
    SigningAlgorithms: RSA_SIGNING_ALGORITHMS,
  };
}
