import { epochSeconds, JwtError, type JwtTimes } from './jwt';
import type { RefreshToken } from './refresh-tokens';

/** What a refresh token says (the guide: LicenseArn is `aud`, TokenProperties are `amr`). */
export interface RefreshTokenClaims extends JwtTimes {
  /** The licence. */
  aud: string;
  /** The TokenProperties. */
  amr: string[];
  /** The account that created the token. */
  sub: string;
  /** The TokenId. */
  jti: string;
}

/** What an access token says: the refresh token it came from (`tid`) and what it may be used for. */
export interface AccessTokenClaims extends JwtTimes {
  aud: string;
  /** The TokenProperties asked for, and the issuer marker the guide's role trust policy looks for. */
  amr: string[];
  sub: string;
  /** The TokenId of the refresh token. */
  tid: string;
  /** This access token's own id. */
  jti: string;
}

/** An access token lives one hour (the guide), never beyond its refresh token. */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 3600;

/**
 * The `amr` value the guide's AWSLicenseManagerConsumptionRole trust policy matches
 * (`openid-license-manager.amazonaws.com:amr`).
 */
export const tokenIssuerAmr = (accountId: string): string => `aws:license-manager:token-issuer-account-id:${accountId}`;

/** The claims a recorded token was issued with: signing them again gives the very same token. */
export function refreshTokenClaims(
  token: Pick<RefreshToken, 'tokenId' | 'accountId' | 'licenseArn' | 'tokenProperties' | 'createdAt' | 'expiresAt'>,
): RefreshTokenClaims {
  return {
    aud: token.licenseArn,
    amr: token.tokenProperties,
    sub: token.accountId,
    jti: token.tokenId,
    iat: epochSeconds(new Date(token.createdAt)),
    exp: epochSeconds(new Date(token.expiresAt)),
  };
}

export function accessTokenClaims(
  refresh: RefreshTokenClaims,
  properties: string[],
  accessTokenId: string,
  now: Date,
): AccessTokenClaims {
  const iat = epochSeconds(now);
  return {
    aud: refresh.aud,
    amr: [...properties, tokenIssuerAmr(refresh.sub)],
    sub: refresh.sub,
    tid: refresh.jti,
    jti: accessTokenId,
    iat,
    exp: Math.min(iat + ACCESS_TOKEN_LIFETIME_SECONDS, refresh.exp),
  };
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString);

/** The verified claims as a refresh token's, or a malformed token. */
export function asRefreshTokenClaims(claims: JwtTimes & Record<string, unknown>): RefreshTokenClaims {
  const { aud, amr, sub, jti } = claims;
  if (!isString(aud) || !isStringList(amr) || !isString(sub) || !isString(jti))
    throw new JwtError('malformed', 'The token is not a refresh token.');
  return { ...claims, aud, amr, sub, jti };
}

/** The verified claims as an access token's, or a malformed token. */
export function asAccessTokenClaims(claims: JwtTimes & Record<string, unknown>): AccessTokenClaims {
  const { aud, amr, sub, tid, jti } = claims;
  if (!isString(aud) || !isStringList(amr) || !isString(sub) || !isString(tid) || !isString(jti)) {
    throw new JwtError('malformed', 'The token is not an access token.');
  }
  return { ...claims, aud, amr, sub, tid, jti };
}
