import { randomBytes } from 'node:crypto';
import type { EventStore, NewEvent } from '@lm/event-store';
import { beforeEach, describe, expect, it } from 'vitest';
import { MasterKey } from '@lm/service-kit';
import { RefreshTokenExchange } from '../src/tokens/application/refresh-token-exchange';
import { RefreshTokenKeys, tokenSha256 } from '../src/tokens/application/refresh-token-keys';
import type { RefreshTokenQueries } from '../src/tokens/application/refresh-token.queries';
import { signJwt, verifyJwt } from '../src/tokens/domain/refresh-token/jwt';
import type { RefreshToken } from '../src/tokens/domain/refresh-token/refresh-tokens';
import {
  asAccessTokenClaims,
  refreshTokenClaims,
  tokenIssuerAmr,
  type AccessTokenClaims,
} from '../src/tokens/domain/refresh-token/token-claims';
import {
  decideAssumeRoleWithWebIdentity,
  type AssumeRoleWithWebIdentityCommand,
} from '../src/tokens/domain/temporary-credentials/assume-role';

const HOUR = 60 * 60 * 1000;
const t0 = new Date('2026-06-01T12:00:00Z');
const keys = new RefreshTokenKeys(new MasterKey(randomBytes(32)));
const ACCOUNT = '111111111111';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/AWSLicenseManagerConsumptionRole`;

/** A refresh token as CreateToken would have recorded it, and its text. */
function issued(overrides: Partial<RefreshToken> = {}): { record: RefreshToken; text: string } {
  const base = {
    tokenId: randomBytes(16).toString('hex'),
    accountId: ACCOUNT,
    licenseArn: 'arn:aws:license-manager::111111111111:license:l-1',
    roleArns: [],
    tokenProperties: ['edition:pro', 'seats:10'],
    createdAt: t0.toISOString(),
    expiresAt: new Date(t0.getTime() + 24 * HOUR).toISOString(),
    clientToken: 'c',
    status: 'AVAILABLE' as const,
    ...overrides,
  };
  const text = signJwt(refreshTokenClaims(base), keys.refreshToken);
  return { record: { ...base, tokenSha256: tokenSha256(text) }, text };
}

describe('GetAccessToken', () => {
  const recorded = new Map<string, RefreshToken>();
  const appended: { streamName: string; events: NewEvent[] }[] = [];
  const store = {
    append: async (streamName: string, events: NewEvent[]) => appended.push({ streamName, events }),
  } as unknown as EventStore;
  let now = t0;
  const exchange = new RefreshTokenExchange(store, { now: () => now }, keys, {
    find: async (id: string) => recorded.get(id),
  } as RefreshTokenQueries);
  const keep = (token: { record: RefreshToken; text: string }) => (
    recorded.set(token.record.tokenId, token.record),
    token
  );
  const refused = (promise: Promise<unknown>) =>
    expect(promise).rejects.toMatchObject({ code: 'AuthorizationException' });

  beforeEach(() => {
    recorded.clear();
    appended.length = 0;
    now = new Date(t0.getTime() + HOUR);
  });

  it('exchanges a standing refresh token for a one-hour access token of its licence', async () => {
    const { record, text } = keep(issued());
    const { AccessToken } = await exchange.accessTokenFor({ Token: text, TokenProperties: ['seats:10'] });
    const claims = asAccessTokenClaims(verifyJwt(AccessToken!, keys.accessToken, now));
    expect(claims).toMatchObject({
      aud: record.licenseArn,
      sub: ACCOUNT,
      tid: record.tokenId,
      amr: ['seats:10', tokenIssuerAmr(ACCOUNT)],
    });
    expect(claims.exp - claims.iat).toBe(3600);
    expect(appended).toEqual([
      {
        streamName: `access-tokens-${record.tokenId}`,
        events: [
          {
            type: 'AccessTokenIssued',
            data: {
              tokenId: record.tokenId,
              accountId: ACCOUNT,
              licenseArn: record.licenseArn,
              accessTokenId: claims.jti,
              tokenProperties: ['seats:10'],
              issuedAt: now.toISOString(),
              expiresAt: new Date(now.getTime() + HOUR).toISOString(),
            },
          },
        ],
      },
    ]);
    // The access token is not a refresh token: it cannot be exchanged again.
    await refused(exchange.accessTokenFor({ Token: AccessToken! }));
  });

  it('never outlives its refresh token', async () => {
    const { record, text } = keep(issued({ expiresAt: new Date(t0.getTime() + HOUR + 60_000).toISOString() }));
    const claims = asAccessTokenClaims(
      verifyJwt((await exchange.accessTokenFor({ Token: text })).AccessToken!, keys.accessToken, now),
    );
    expect(claims.exp * 1000).toBe(new Date(record.expiresAt).getTime());
    expect(claims.amr).toEqual(['edition:pro', 'seats:10', tokenIssuerAmr(ACCOUNT)]);
  });

  it('refuses a tampered token', async () => {
    const { text } = keep(issued());
    const [header, payload, signature] = text.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const widened = Buffer.from(JSON.stringify({ ...claims, amr: [...claims.amr, 'seats:1000'] })).toString(
      'base64url',
    );
    await refused(exchange.accessTokenFor({ Token: `${header}.${widened}.${signature}` }));
    expect(appended).toEqual([]);
  });

  it('refuses an expired token', async () => {
    const { text } = keep(issued());
    now = new Date(t0.getTime() + 24 * HOUR);
    await refused(exchange.accessTokenFor({ Token: text }));
  });

  it('refuses a deleted token, and one that was never recorded as it is', async () => {
    const deleted = keep(issued({ status: 'DELETED' }));
    await refused(exchange.accessTokenFor({ Token: deleted.text }));
    const unrecorded = issued();
    await refused(exchange.accessTokenFor({ Token: unrecorded.text }));
    recorded.set(unrecorded.record.tokenId, { ...unrecorded.record, tokenSha256: tokenSha256('another text') });
    await refused(exchange.accessTokenFor({ Token: unrecorded.text }));
  });

  it('refuses TokenProperties the token does not have', async () => {
    const { text } = keep(issued());
    await expect(
      exchange.accessTokenFor({ Token: text, TokenProperties: ['edition:pro', 'seats:1000'] }),
    ).rejects.toMatchObject({
      code: 'ValidationException',
      message: expect.stringContaining('seats:1000'),
    });
  });
});

describe('AssumeRoleWithWebIdentity decisions', () => {
  const { record } = issued({ roleArns: [] });
  const accessToken: AccessTokenClaims = {
    aud: record.licenseArn,
    amr: record.tokenProperties,
    sub: ACCOUNT,
    tid: record.tokenId,
    jti: 'a',
    iat: t0.getTime() / 1000,
    exp: t0.getTime() / 1000 + 3600,
  };
  const command = (overrides: Partial<AssumeRoleWithWebIdentityCommand> = {}): AssumeRoleWithWebIdentityCommand => ({
    accessKeyId: 'ASIAAAAAAAAAAAAAAAAA',
    roleArn: ROLE,
    roleSessionName: 'customer-42',
    sessionPolicy: false,
    accessToken,
    refreshToken: record,
    now: t0,
    ...overrides,
  });
  const refusedWith = (code: string, overrides: Partial<AssumeRoleWithWebIdentityCommand>) =>
    expect(() => decideAssumeRoleWithWebIdentity(command(overrides))).toThrow(expect.objectContaining({ code }));

  it('issues credentials of the issuing account for the licence, an hour by default', () => {
    expect(decideAssumeRoleWithWebIdentity(command())).toEqual({
      type: 'TemporaryCredentialsIssued',
      data: {
        accessKeyId: 'ASIAAAAAAAAAAAAAAAAA',
        accountId: ACCOUNT,
        licenseArn: record.licenseArn,
        roleArn: ROLE,
        roleSessionName: 'customer-42',
        tokenId: record.tokenId,
        issuedAt: t0.toISOString(),
        expiresAt: new Date(t0.getTime() + HOUR).toISOString(),
      },
    });
    expect(decideAssumeRoleWithWebIdentity(command({ durationSeconds: 900 })).data.expiresAt).toBe(
      new Date(t0.getTime() + 900_000).toISOString(),
    );
  });

  it('refuses a token whose refresh token was deleted or never recorded', () => {
    refusedWith('InvalidIdentityToken', { refreshToken: { ...record, status: 'DELETED' } });
    refusedWith('InvalidIdentityToken', { refreshToken: undefined });
  });

  it('refuses a role of another account, or one the token does not name', () => {
    refusedWith('AccessDenied', { roleArn: 'arn:aws:iam::222222222222:role/AWSLicenseManagerConsumptionRole' });
    refusedWith('AccessDenied', { roleArn: 'arn:aws:iam::111111111111:user/someone' });
    const named = { ...record, roleArns: [`arn:aws:iam::${ACCOUNT}:role/Named`] };
    refusedWith('AccessDenied', { refreshToken: named });
    expect(
      decideAssumeRoleWithWebIdentity(command({ refreshToken: named, roleArn: named.roleArns[0] })).data.roleArn,
    ).toBe(named.roleArns[0]);
  });

  it('refuses sessions over 3600 seconds, bad session names and session policies', () => {
    refusedWith('ValidationError', { durationSeconds: 3601 });
    refusedWith('ValidationError', { roleSessionName: 'has space' });
    refusedWith('ValidationError', { sessionPolicy: true });
  });
});
