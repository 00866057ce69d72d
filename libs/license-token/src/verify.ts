import { createPublicKey, KeyObject, verify } from 'node:crypto';
import { hashOf, isLicenseTokenAlgorithm, PSS_PADDING } from './algorithms';
import { LicenseTokenError } from './errors';
import { isLicenseTokenPayload, parseTokenTimestamp, type LicenseTokenPayload } from './payload';

/** A trusted issuer key: a KeyObject, a PEM text, or the SPKI DER that GetPublicKey returns. */
export type TrustedKey = KeyObject | string | Buffer;

export interface VerifyOptions {
  /** The licence the token must be for. */
  licenseArn?: string;
  /** This node's identifier: a node-locked token must name it. */
  nodeId?: string;
  /** Defaults to the current time. */
  now?: Date;
  /** Allowance for clocks that disagree, in seconds (default 60). */
  clockSkewSeconds?: number;
  /** This node's values for the constraints a borrow checkout may record (for example `Mac`). */
  checkoutMetadata?: Record<string, string>;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

const toPublicKey = (key: TrustedKey): KeyObject => {
  if (key instanceof KeyObject) return key.type === 'private' ? createPublicKey(key) : key;
  return typeof key === 'string' ? createPublicKey(key) : createPublicKey({ key, format: 'der', type: 'spki' });
};

/** Decodes one segment, refusing any text that is not the one canonical base64url form of its bytes (so no character can change unnoticed). */
const decodeSegment = (segment: string): Buffer => {
  const bytes = Buffer.from(segment, 'base64url');
  if (!BASE64URL.test(segment) || bytes.toString('base64url') !== segment)
    throw new LicenseTokenError('malformed', 'token segment is not base64url');
  return bytes;
};

const parseJson = (bytes: Buffer, what: string): unknown => {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new LicenseTokenError('malformed', `token ${what} is not JSON`);
  }
};

const checkWindow = (payload: LicenseTokenPayload, options: VerifyOptions): void => {
  const now = (options.now ?? new Date()).getTime();
  const skew = (options.clockSkewSeconds ?? 60) * 1000;
  const issuedAt = parseTokenTimestamp(payload.issuedAt)!.getTime();
  const expiration = parseTokenTimestamp(payload.expiration)!.getTime();
  if (now < issuedAt - skew)
    throw new LicenseTokenError('not-yet-valid', `token issued at ${payload.issuedAt} UTC is not valid yet`);
  if (now >= expiration + skew) throw new LicenseTokenError('expired', `token expired at ${payload.expiration} UTC`);
};

const checkBinding = (payload: LicenseTokenPayload, options: VerifyOptions): void => {
  if (options.licenseArn !== undefined && payload.licenseArn !== options.licenseArn) {
    throw new LicenseTokenError('license', `token is for ${payload.licenseArn}, not ${options.licenseArn}`);
  }
  if (payload.nodeId !== undefined && payload.nodeId !== options.nodeId) {
    throw new LicenseTokenError('node', `token is locked to node ${payload.nodeId}`);
  }
  for (const [name, value] of Object.entries(payload.checkoutMetadata ?? {})) {
    if (options.checkoutMetadata?.[name] !== value)
      throw new LicenseTokenError('metadata', `token checkout metadata ${name} does not match`);
  }
};

/**
 * Verifies a licence token offline (steps 2 to 6 of the verification procedure) and returns its
 * payload: a PS384 or PS256 signature by one of `trustedKeys`, a licence, node and metadata that
 * match `options`, and a current validity window. Anything else throws {@link LicenseTokenError}.
 */
export const verifyLicenseToken = (
  token: string,
  trustedKeys: TrustedKey | TrustedKey[],
  options: VerifyOptions = {},
): LicenseTokenPayload => {
  const segments = token.split('.');
  if (segments.length !== 3) throw new LicenseTokenError('malformed', 'token is not a JWS compact serialization');
  const [headerSegment, payloadSegment, signatureSegment] = segments as [string, string, string];
  const header = parseJson(decodeSegment(headerSegment), 'header') as { alg?: unknown; crit?: unknown } | null;
  if (typeof header !== 'object' || header === null)
    throw new LicenseTokenError('malformed', 'token header is not an object');
  const alg = header.alg;
  if (!isLicenseTokenAlgorithm(alg))
    throw new LicenseTokenError('algorithm', `token algorithm ${String(alg)} is not accepted (PS384 or PS256)`);
  if (header.crit !== undefined)
    throw new LicenseTokenError('malformed', 'token header has critical extensions this verifier does not know');
  const payloadBytes = decodeSegment(payloadSegment);
  const signature = decodeSegment(signatureSegment);

  const signingInput = Buffer.from(`${headerSegment}.${payloadSegment}`, 'ascii');
  const keys = (Array.isArray(trustedKeys) ? trustedKeys : [trustedKeys]).map(toPublicKey);
  const signed = keys.some((key) => verify(hashOf(alg), signingInput, { key, ...PSS_PADDING }, signature));
  if (!signed) throw new LicenseTokenError('signature', 'token signature does not verify with any trusted key');

  const payload = parseJson(payloadBytes, 'payload');
  if (!isLicenseTokenPayload(payload))
    throw new LicenseTokenError('malformed', 'token payload is not a licence token payload');
  checkWindow(payload, options);
  checkBinding(payload, options);
  return payload;
};
