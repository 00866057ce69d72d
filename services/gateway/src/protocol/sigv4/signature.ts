import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const SCOPE_TERMINATOR = 'aws4_request';

export interface CredentialScope {
  date: string;
  region: string;
  service: string;
}

export const formatScope = (scope: CredentialScope): string =>
  `${scope.date}/${scope.region}/${scope.service}/${SCOPE_TERMINATOR}`;

export const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/**
 * Signing keys derived per secret and scope. A key is valid for a day, region and service, so a
 * client's requests all share one; deriving it costs four HMACs per request otherwise. Kept in
 * process memory only, and dropped wholesale when it grows (a new day brings new keys).
 */
const signingKeys = new Map<string, Buffer>();
const MAX_SIGNING_KEYS = 10_000;

function signingKey(secretAccessKey: string, scope: CredentialScope): Buffer {
  const cacheKey = `${formatScope(scope)}\n${secretAccessKey}`;
  let key = signingKeys.get(cacheKey);
  if (!key) {
    key = [scope.date, scope.region, scope.service, SCOPE_TERMINATOR].reduce<Buffer>(
      (derived, part) => hmac(derived, part),
      Buffer.from(`AWS4${secretAccessKey}`, 'utf8'),
    );
    if (signingKeys.size >= MAX_SIGNING_KEYS) signingKeys.clear();
    signingKeys.set(cacheKey, key);
  }
  return key;
}

/** The hex signature of a canonical request, as the client should have computed it. */
export function computeSignature(
  secretAccessKey: string,
  scope: CredentialScope,
  amzDate: string,
  canonicalRequest: string,
): string {
  const stringToSign = [ALGORITHM, amzDate, formatScope(scope), sha256Hex(canonicalRequest)].join('\n');
  return hmac(signingKey(secretAccessKey, scope), stringToSign).toString('hex');
}

/** Constant-time comparison, so response timing does not reveal how much of a guess was right. */
export function signaturesMatch(expectedHex: string, providedHex: string): boolean {
  if (!/^[0-9a-fA-F]{64}$/.test(providedHex)) return false;
  return timingSafeEqual(Buffer.from(expectedHex, 'hex'), Buffer.from(providedHex, 'hex'));
}

/** Constant-time comparison of two arbitrary strings (session tokens). */
export function secretsEqual(a: string, b: string): boolean {
  // Hashing first gives equal-length buffers without leaking the length through an early exit.
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}
