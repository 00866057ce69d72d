import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The service's own JWTs (refresh and access tokens): HS384 under a key derived from the master
 * key. Only this service verifies them, so a MAC is enough and no key pair has to be managed.
 */

/** Why a token was refused: an expired one may be refreshed, the others are simply not tokens of ours. */
export type JwtFailure = 'malformed' | 'signature' | 'expired';

export class JwtError extends Error {
  override readonly name = 'JwtError';

  constructor(
    readonly reason: JwtFailure,
    message: string,
  ) {
    super(message);
  }
}

/** Every token of ours carries its issue and expiry times (seconds since the epoch). */
export interface JwtTimes {
  iat: number;
  exp: number;
}

const encode = (value: object): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** The one header we sign with; a token with any other (alg "none", another algorithm) is refused as it stands. */
const HEADER = encode({ alg: 'HS384', typ: 'JWT' });

const mac = (signingInput: string, key: Buffer): Buffer =>
  createHmac('sha384', key).update(signingInput, 'ascii').digest();

/** Same claims and key, same token: a JWT of ours can be issued again from what was recorded of it. */
export function signJwt(claims: JwtTimes & object, key: Buffer): string {
  const signingInput = `${HEADER}.${encode(claims)}`;
  return `${signingInput}.${mac(signingInput, key).toString('base64url')}`;
}

/** Seconds since the epoch, as JWT times count. */
export const epochSeconds = (at: Date): number => Math.floor(at.getTime() / 1000);

/**
 * The claims of a token this key signed, once its signature and expiry hold; throws JwtError
 * otherwise. The claims' shape is the caller's to check.
 */
export function verifyJwt(token: string, key: Buffer, now: Date): JwtTimes & Record<string, unknown> {
  const segments = token.split('.');
  if (segments.length !== 3 || segments[0] !== HEADER)
    throw new JwtError('malformed', 'The token is not a JWT of this service.');
  const [, payload, signature] = segments;
  const expected = mac(`${HEADER}.${payload}`, key);
  const given = Buffer.from(signature, 'base64url');
  // The canonical encoding only, so that no other text of the same bytes passes for the token.
  if (
    given.toString('base64url') !== signature ||
    given.length !== expected.length ||
    !timingSafeEqual(given, expected)
  ) {
    throw new JwtError('signature', 'The token signature is not valid.');
  }
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new JwtError('malformed', 'The token payload is not JSON.');
  }
  if (typeof claims !== 'object' || claims === null)
    throw new JwtError('malformed', 'The token payload is not an object.');
  const { iat, exp } = claims as Partial<JwtTimes>;
  if (typeof iat !== 'number' || typeof exp !== 'number')
    throw new JwtError('malformed', 'The token has no issue or expiry time.');
  if (exp <= epochSeconds(now)) throw new JwtError('expired', 'The token has expired.');
  return claims as JwtTimes & Record<string, unknown>;
}

/** The time to the second: what a JWT time keeps of it, so that a recorded time and its claim agree. */
export const atWholeSecond = (at: Date): Date => new Date(epochSeconds(at) * 1000);
