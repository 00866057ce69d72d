import type { Kms } from '@lm/api-model';
import { kmsUnsupported } from './errors';
import { validation } from '@lm/contracts';
import { MODULUS_LENGTHS, type SigningKeySpec } from './signing-key';

const SUPPORTED = 'This key store creates RSA_2048, RSA_3072 and RSA_4096 keys with KeyUsage SIGN_VERIFY only';

const isSigningKeySpec = (spec: string): spec is SigningKeySpec => Object.hasOwn(MODULUS_LENGTHS, spec);

/**
 * The key spec a CreateKey asks for, if this key store makes such keys. KMS's defaults (a
 * SYMMETRIC_DEFAULT key for ENCRYPT_DECRYPT) are not among them, so KeySpec and KeyUsage must be
 * given. Key policies, custom key stores, imported material and multi-Region keys are not part of
 * this subset either: refused rather than ignored, so that nobody believes a policy protects a key.
 */
export function requestedSigningKeySpec(input: Kms.CreateKeyRequest): SigningKeySpec {
  if (
    input.KeySpec !== undefined &&
    input.CustomerMasterKeySpec !== undefined &&
    input.KeySpec !== input.CustomerMasterKeySpec
  ) {
    throw validation(
      'KeySpec and CustomerMasterKeySpec differ; give KeySpec only (CustomerMasterKeySpec is its deprecated name)',
    );
  }
  const spec = input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT';
  if (!isSigningKeySpec(spec)) throw kmsUnsupported(`KeySpec ${spec} is not supported. ${SUPPORTED}.`);
  const usage = input.KeyUsage ?? 'ENCRYPT_DECRYPT';
  if (usage !== 'SIGN_VERIFY') throw kmsUnsupported(`KeyUsage ${usage} is not supported. ${SUPPORTED}.`);
  if (input.Origin !== undefined && input.Origin !== 'AWS_KMS')
    throw kmsUnsupported(`Origin ${input.Origin} is not supported: key material is generated here (AWS_KMS).`);
  if (input.CustomKeyStoreId !== undefined || input.XksKeyId !== undefined)
    throw kmsUnsupported('Custom key stores are not supported.');
  if (input.MultiRegion) throw kmsUnsupported('Multi-Region keys are not supported.');
  if (input.Policy !== undefined)
    throw kmsUnsupported('Key policies are not supported: a key is used by its own account only.');
  if (input.Tags?.length) throw kmsUnsupported('Key tags are not supported.');
  return spec;
}
