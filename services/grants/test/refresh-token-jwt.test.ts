import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { epochSeconds, JwtError, signJwt, verifyJwt } from '../src/tokens/domain/refresh-token/jwt';
import {
  asAccessTokenClaims,
  asRefreshTokenClaims,
  refreshTokenClaims,
} from '../src/tokens/domain/refresh-token/token-claims';

const key = randomBytes(32);
const now = new Date('2026-06-01T12:00:00Z');
const token = {
  tokenId: '0123456789abcdef0123456789abcdef',
  accountId: '111111111111',
  licenseArn: 'arn:aws:license-manager::111111111111:license:l-0123456789abcdef0123456789abcdef',
  tokenProperties: ['plan:gold'],
  createdAt: '2026-06-01T12:00:00.000Z',
  expiresAt: '2027-06-01T12:00:00.000Z',
};

const failure = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof JwtError) return error.reason;
    throw error;
  }
  throw new Error('the token was accepted');
};

const segments = (jwt: string) => jwt.split('.');
const json = (segment: string) => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('the service JWTs (HS384)', () => {
  it('carries the guide claims: aud the licence, amr the TokenProperties, sub the issuing account, jti the TokenId', () => {
    const jwt = signJwt(refreshTokenClaims(token), key);
    expect(json(segments(jwt)[0])).toEqual({ alg: 'HS384', typ: 'JWT' });
    expect(asRefreshTokenClaims(verifyJwt(jwt, key, now))).toEqual({
      aud: token.licenseArn,
      amr: ['plan:gold'],
      sub: '111111111111',
      jti: token.tokenId,
      iat: epochSeconds(new Date(token.createdAt)),
      exp: epochSeconds(new Date(token.expiresAt)),
    });
  });

  it('is the same text when signed again from what was recorded (a retried CreateToken gets its token back)', () => {
    expect(signJwt(refreshTokenClaims({ ...token }), key)).toBe(signJwt(refreshTokenClaims(token), key));
  });

  it('refuses a tampered payload, header or signature', () => {
    const [header, payload, signature] = segments(signJwt(refreshTokenClaims(token), key));
    const otherLicence = encode({ ...json(payload), aud: 'arn:aws:license-manager::111111111111:license:l-other' });
    expect(failure(() => verifyJwt(`${header}.${otherLicence}.${signature}`, key, now))).toBe('signature');
    expect(failure(() => verifyJwt(`${encode({ alg: 'none', typ: 'JWT' })}.${payload}.`, key, now))).toBe('malformed');
    expect(failure(() => verifyJwt(`${encode({ alg: 'HS256', typ: 'JWT' })}.${payload}.${signature}`, key, now))).toBe(
      'malformed',
    );
    const flipped = signature.slice(0, -2) + (signature.at(-2) === 'A' ? 'B' : 'A') + signature.at(-1);
    expect(failure(() => verifyJwt(`${header}.${payload}.${flipped}`, key, now))).toBe('signature');
    expect(failure(() => verifyJwt(`${header}.${payload}.${signature}=`, key, now))).toBe('signature');
    expect(failure(() => verifyJwt(`${header}.${payload}`, key, now))).toBe('malformed');
    expect(failure(() => verifyJwt('not a token', key, now))).toBe('malformed');
  });

  it('refuses a token signed with another key (another purpose, another deployment)', () => {
    expect(failure(() => verifyJwt(signJwt(refreshTokenClaims(token), randomBytes(32)), key, now))).toBe('signature');
  });

  it('refuses a token at and after its expiry', () => {
    const jwt = signJwt(refreshTokenClaims(token), key);
    expect(failure(() => verifyJwt(jwt, key, new Date(token.expiresAt)))).toBe('expired');
    expect(() => verifyJwt(jwt, key, new Date(new Date(token.expiresAt).getTime() - 1000))).not.toThrow();
  });

  it('tells a refresh token from an access token by its claims', () => {
    const claims = verifyJwt(signJwt(refreshTokenClaims(token), key), key, now);
    expect(failure(() => asAccessTokenClaims(claims))).toBe('malformed');
    expect(
      failure(() =>
        asRefreshTokenClaims(verifyJwt(signJwt({ iat: 1, exp: epochSeconds(now) + 60, aud: 1 }, key), key, now)),
      ),
    ).toBe('malformed');
  });
});
