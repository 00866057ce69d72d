import { formatAmzDate } from './amz-date';
import { SIGNATURE_MISMATCH_MESSAGE, expiredToken, invalidSignature, unrecognizedClient } from './authentication-error';
import { canonicalRequest } from './canonical-request';
import { computeSignature, secretsEqual, sha256Hex, signaturesMatch } from './signature';
import { readSignedClaims, type ReceivedRequest, type SignedClaims } from './signed-claims';

export { AuthenticationError, wrongServiceScope, type AuthenticationErrorCode } from './authentication-error';
export type { ReceivedRequest, SignedClaims } from './signed-claims';

export interface SigningSecret {
  secretAccessKey: string;
  /** Set for temporary credentials: the request must then carry this exact X-Amz-Security-Token. */
  sessionToken?: string;
  /** Set for temporary credentials: from then on they answer ExpiredTokenException. */
  expiresAt?: Date;
}

export interface VerifyDeps {
  findSecret(accessKeyId: string): SigningSecret | undefined;
  now: Date;
  /** The Region this endpoint serves: a signature scoped to another one is refused, as at AWS. */
  region: string;
  /** How far the request's timestamp may be from `now`; AWS allows 15 minutes. */
  maxSkewMs?: number;
}

export interface VerifiedIdentity {
  accessKeyId: string;
  /** The time the request says it was signed. */
  date: Date;
  region: string;
  /** The signing name of the credential scope: it designates the API the request is for. */
  service: string;
}

const DEFAULT_MAX_SKEW_MS = 15 * 60 * 1000;

/**
 * Verifies the AWS Signature Version 4 of a request, signed either in its Authorization
 * header or as a presigned URL, and returns who signed it for which region and service.
 * Throws AuthenticationError with the code, message and status AWS would answer.
 */
export function verifySigV4(request: ReceivedRequest, deps: VerifyDeps): VerifiedIdentity {
  const claims = readTimelyClaims(request, deps);
  return verifyClaims(request, claims, deps.findSecret(claims.accessKeyId), deps.now);
}

/**
 * The first half of verifySigV4, for a caller that finds the secret asynchronously (temporary
 * credentials): the request's claims, once their form, scope date and Region and time window are checked.
 */
export function readTimelyClaims(
  request: ReceivedRequest,
  deps: Pick<VerifyDeps, 'now' | 'region' | 'maxSkewMs'>,
): SignedClaims {
  const claims = readSignedClaims(request);
  checkScopeDate(claims);
  checkScopeRegion(claims, deps.region);
  checkTimeWindow(claims, deps.now, deps.maxSkewMs ?? DEFAULT_MAX_SKEW_MS);
  return claims;
}

/** The second half of verifySigV4: the claims against the secret of their access key (undefined when unknown). */
export function verifyClaims(
  request: ReceivedRequest,
  claims: SignedClaims,
  secret: SigningSecret | undefined,
  now: Date,
): VerifiedIdentity {
  if (!secret) throw unrecognizedClient();
  // A temporary key is only valid with its own token, and a long-term key with none, as at AWS.
  const tokenValid =
    secret.sessionToken === undefined
      ? claims.securityToken === undefined
      : claims.securityToken !== undefined && secretsEqual(secret.sessionToken, claims.securityToken);
  if (!tokenValid) throw unrecognizedClient();

  const expected = computeSignature(
    secret.secretAccessKey,
    claims.scope,
    claims.amzDate,
    canonicalRequest({
      method: request.method,
      rawPath: request.path,
      query: claims.signedQuery,
      headers: request.headers,
      signedHeaders: claims.signedHeaders,
      payloadHash: payloadHash(request),
    }),
  );
  if (!signaturesMatch(expected, claims.signature)) throw invalidSignature(SIGNATURE_MISMATCH_MESSAGE);
  // Only a correctly signed request learns that its credentials expired.
  if (secret.expiresAt !== undefined && now.getTime() >= secret.expiresAt.getTime()) throw expiredToken();

  return {
    accessKeyId: claims.accessKeyId,
    date: claims.timestamp,
    region: claims.scope.region,
    service: claims.scope.service,
  };
}

const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/**
 * The payload hash the signer used: the x-amz-content-sha256 header when sent, else the body's.
 * A declared hash must be the body's, or the signature would not protect the body at all;
 * only UNSIGNED-PAYLOAD explicitly opts out of that.
 */
function payloadHash(request: ReceivedRequest): string {
  const declared = request.headers['x-amz-content-sha256'];
  const actual = sha256Hex(request.body);
  if (declared === undefined) return actual;
  if (declared === UNSIGNED_PAYLOAD) return declared;
  if (declared.toLowerCase() !== actual) {
    throw invalidSignature("The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  return declared;
}

function checkScopeDate(claims: SignedClaims): void {
  const day = claims.amzDate.slice(0, 8);
  if (claims.scope.date !== day) {
    throw invalidSignature(
      'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ' +
        `'${claims.scope.date}' != '${day}', from '${claims.amzDate}'.`,
    );
  }
}

/**
 * A signature is valid in the Region of its scope only: one made for eu-west-1 must not read or
 * change another Region's data. AWS's words, trailing space included.
 */
function checkScopeRegion(claims: SignedClaims, region: string): void {
  if (claims.scope.region !== region) {
    throw invalidSignature(`Credential should be scoped to a valid region, not '${claims.scope.region}'. `);
  }
}

/**
 * A signed request is accepted within maxSkew of the server clock; a presigned URL from
 * maxSkew before its X-Amz-Date (clock skew) until X-Amz-Expires seconds after it.
 */
function checkTimeWindow(claims: SignedClaims, now: Date, maxSkewMs: number): void {
  const signedAt = claims.timestamp.getTime();
  // Only a refusal names the times: an accepted request formats none.
  const minutes = () => `${Math.round(maxSkewMs / 60_000)} min.`;
  const nowText = () => formatAmzDate(now);
  if (signedAt > now.getTime() + maxSkewMs) {
    const latest = formatAmzDate(new Date(now.getTime() + maxSkewMs));
    throw invalidSignature(
      `Signature not yet current: ${claims.amzDate} is still later than ${latest} (${nowText()} + ${minutes()})`,
    );
  }
  if (claims.expiresSeconds !== undefined) {
    const expiresAt = signedAt + claims.expiresSeconds * 1000;
    if (now.getTime() > expiresAt) {
      throw invalidSignature(
        `Signature expired: ${formatAmzDate(new Date(expiresAt))} is now earlier than ${nowText()} ` +
          `(${claims.amzDate} + ${claims.expiresSeconds} sec.)`,
      );
    }
    return;
  }
  if (signedAt < now.getTime() - maxSkewMs) {
    const earliest = formatAmzDate(new Date(now.getTime() - maxSkewMs));
    throw invalidSignature(
      `Signature expired: ${claims.amzDate} is now earlier than ${earliest} (${nowText()} - ${minutes()})`,
    );
  }
}
