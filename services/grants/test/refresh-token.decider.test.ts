import { describe, expect, it } from 'vitest';
import { decideAccountTokens, recentTokenFor } from '../src/tokens/domain/refresh-token/decide';
import type { RefreshTokenEvent, TokenCreatedData } from '../src/tokens/domain/refresh-token/events';
import {
  evolveAccountTokens,
  initialAccountTokens,
  type AccountTokens,
} from '../src/tokens/domain/refresh-token/refresh-tokens';

const MINUTE = 60 * 1000;
const t0 = new Date('2026-06-01T12:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * MINUTE);
const LICENSE = 'arn:aws:license-manager::111111111111:license:l-1';

let next = 0;
const requested = (createdAt: Date, overrides: Partial<TokenCreatedData> = {}): TokenCreatedData => ({
  tokenId: `token-${++next}`,
  accountId: '111111111111',
  licenseArn: LICENSE,
  roleArns: [],
  tokenProperties: ['p'],
  createdAt: createdAt.toISOString(),
  expiresAt: new Date(createdAt.getTime() + 365 * 24 * 60 * MINUTE).toISOString(),
  tokenSha256: 'ab'.repeat(32),
  clientToken: `client-${next}`,
  ...overrides,
});

const fold = (events: RefreshTokenEvent[], state = initialAccountTokens()): AccountTokens =>
  events.reduce(evolveAccountTokens, state);

const create = (state: AccountTokens, token: TokenCreatedData, now: Date, limitPerLicense = 3) =>
  decideAccountTokens({ type: 'CreateToken', token, limitPerLicense, now }, state);

describe('an account creating and deleting refresh tokens', () => {
  it('records a token by its hash and answers a retry within 10 minutes with the first token', () => {
    const first = requested(t0, { clientToken: 'retry-me' });
    const state = fold(create(initialAccountTokens(), first, t0));
    expect(state.tokens[first.tokenId]).toMatchObject({ status: 'AVAILABLE', tokenSha256: first.tokenSha256 });
    const retry = requested(at(9), { clientToken: 'retry-me' });
    expect(create(state, retry, at(9))).toEqual([]);
    expect(recentTokenFor(state, 'retry-me', at(9))?.tokenId).toBe(first.tokenId);
  });

  it('refuses the ClientToken for a different request within 10 minutes, and forgets it after', () => {
    const state = fold(create(initialAccountTokens(), requested(t0, { clientToken: 'c' }), t0));
    expect(() => create(state, requested(at(1), { clientToken: 'c', tokenProperties: ['other'] }), at(1))).toThrow(
      expect.objectContaining({ code: 'ValidationException' }),
    );
    expect(create(state, requested(at(10), { clientToken: 'c', tokenProperties: ['other'] }), at(10))).toHaveLength(1);
  });

  it('limits the live tokens per licence: deleted and expired ones and other licences do not count', () => {
    let state = initialAccountTokens();
    for (let i = 0; i < 3; i++) state = fold(create(state, requested(t0), t0), state);
    expect(() => create(state, requested(t0), t0)).toThrow(
      expect.objectContaining({ code: 'ResourceLimitExceededException' }),
    );
    expect(create(state, requested(t0, { licenseArn: `${LICENSE}-other` }), t0)).toHaveLength(1);
    const [oldest] = Object.keys(state.tokens);
    state = fold(
      decideAccountTokens({ type: 'DeleteToken', tokenId: oldest, accountId: '111111111111', now: t0 }, state),
      state,
    );
    expect(create(state, requested(t0), t0)).toHaveLength(1);

    const shortLived = requested(t0, { expiresAt: at(60).toISOString() });
    let expiring = initialAccountTokens();
    for (let i = 0; i < 2; i++) expiring = fold(create(expiring, requested(t0), t0), expiring);
    expiring = fold(create(expiring, shortLived, t0), expiring);
    expect(() => create(expiring, requested(at(59)), at(59))).toThrow(
      expect.objectContaining({ code: 'ResourceLimitExceededException' }),
    );
    expect(create(expiring, requested(at(60)), at(60))).toHaveLength(1);
  });

  it('deletes only its own tokens, and a second deletion changes nothing', () => {
    const token = requested(t0);
    const state = fold(create(initialAccountTokens(), token, t0));
    expect(() =>
      decideAccountTokens({ type: 'DeleteToken', tokenId: 'nope', accountId: '111111111111', now: t0 }, state),
    ).toThrow(expect.objectContaining({ code: 'ResourceNotFoundException' }));
    expect(() =>
      decideAccountTokens({ type: 'DeleteToken', tokenId: token.tokenId, accountId: '222222222222', now: t0 }, state),
    ).toThrow(expect.objectContaining({ code: 'ResourceNotFoundException' }));
    const deleted = fold(
      decideAccountTokens(
        { type: 'DeleteToken', tokenId: token.tokenId, accountId: '111111111111', now: at(1) },
        state,
      ),
      state,
    );
    expect(deleted.tokens[token.tokenId]).toMatchObject({ status: 'DELETED', deletedAt: at(1).toISOString() });
    expect(
      decideAccountTokens(
        { type: 'DeleteToken', tokenId: token.tokenId, accountId: '111111111111', now: at(2) },
        deleted,
      ),
    ).toEqual([]);
  });
});
