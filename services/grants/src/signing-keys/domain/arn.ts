import { randomUUID } from 'node:crypto';
import { AwsError } from '@lm/contracts';
import { managedKeyId, namesManagedKeyAlias } from './managed-key';

const KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const KEY_ARN =
  /^arn:aws:kms:([a-z0-9-]+):(\d{12}):key\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** Key ids are UUIDs, as KMS's are. */
export const newKeyId = (): string => randomUUID();

export const signingKeyArn = (region: string, accountId: string, keyId: string) =>
  `arn:aws:kms:${region}:${accountId}:key/${keyId}`;

export interface KeyArnParts {
  region: string;
  accountId: string;
  keyId: string;
}

export function parseKeyArn(value: string): KeyArnParts | undefined {
  const match = KEY_ARN.exec(value);
  return match ? { region: match[1]!, accountId: match[2]!, keyId: match[3]! } : undefined;
}

/** A key as a request names it: by id (in the caller's account and Region) or by ARN. */
export type KeyReference = { keyId: string } | KeyArnParts;

/**
 * Reads a KeyId member. What is neither a key id nor a key ARN names no key (aliases are not part
 * of this subset, but for the managed key's, see ownKeyId); a malformed ARN is InvalidArnException,
 * as KMS answers.
 */
export function parseKeyReference(value: string): KeyReference | undefined {
  if (KEY_ID.test(value)) return { keyId: value };
  const arn = parseKeyArn(value);
  if (arn) return arn;
  if (value.startsWith('arn:')) throw new AwsError('InvalidArnException', `${value} is not a valid key ARN`);
  return undefined;
}

/** The id of the key a reference names within the owner's account and Region; `undefined` when it names none there. */
export function ownKeyId(reference: string, owner: { accountId: string; region: string }): string | undefined {
  if (namesManagedKeyAlias(reference, owner)) return managedKeyId(owner.accountId, owner.region);
  const parsed = parseKeyReference(reference);
  if (!parsed) return undefined;
  if ('accountId' in parsed && (parsed.accountId !== owner.accountId || parsed.region !== owner.region))
    return undefined;
  return parsed.keyId;
}
