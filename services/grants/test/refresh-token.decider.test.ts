import { DeciderSpecification, type Decider } from '@lm/event-store';
import { describe, expect, it } from 'vitest';
import type { RefreshTokenCommand } from '../src/tokens/domain/refresh-token/commands';
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

const accountTokens: Decider<RefreshTokenCommand, RefreshTokenEvent, AccountTokens> = {
  initialState: initialAccountTokens,
  evolve: evolveAccountTokens,
  decide: decideAccountTokens,
};
const { given, history } = DeciderSpecification.for(accountTokens);

const create = (token: TokenCreatedData, now: Date, limitPerLicense = 3): RefreshTokenCommand => ({
  type: 'CreateToken',
  token,
  limitPerLicense,
  now,
});
const remove = (tokenId: string, now: Date, accountId = '111111111111'): RefreshTokenCommand => ({
  type: 'DeleteToken',
  tokenId,
  accountId,
  now,
});
const oneEvent = (events: RefreshTokenEvent[]) => expect(events).toHaveLength(1);

describe('an account creating and deleting refresh tokens', () => {
  it('records a token by its hash and answers a retry within 10 minutes with the first token', () => {
    const first = requested(t0, { clientToken: 'retry-me' });
    const created = history(create(first, t0));
    const { state } = given(created);
    expect(state.tokens[first.tokenId]).toMatchObject({ status: 'AVAILABLE', tokenSha256: first.tokenSha256 });
    given(created)
      .when(create(requested(at(9), { clientToken: 'retry-me' }), at(9)))
      .thenNothing();
    expect(recentTokenFor(state, 'retry-me', at(9))?.tokenId).toBe(first.tokenId);
  });

  it('refuses the ClientToken for a different request within 10 minutes, and forgets it after', () => {
    const created = history(create(requested(t0, { clientToken: 'c' }), t0));
    given(created)
      .when(create(requested(at(1), { clientToken: 'c', tokenProperties: ['other'] }), at(1)))
      .thenThrows({ code: 'ValidationException' });
    given(created)
      .when(create(requested(at(10), { clientToken: 'c', tokenProperties: ['other'] }), at(10)))
      .then(oneEvent);
  });

  it('limits the live tokens per licence: deleted and expired ones and other licences do not count', () => {
    const three = history(create(requested(t0), t0), create(requested(t0), t0), create(requested(t0), t0));
    given(three)
      .when(create(requested(t0), t0))
      .thenThrows({ code: 'ResourceLimitExceededException' });
    given(three)
      .when(create(requested(t0, { licenseArn: `${LICENSE}-other` }), t0))
      .then(oneEvent);
    const [oldest] = Object.keys(given(three).state.tokens);
    const oneDeleted = [...three, ...given(three).when(remove(oldest, t0)).decided()];
    given(oneDeleted)
      .when(create(requested(t0), t0))
      .then(oneEvent);

    const shortLived = requested(t0, { expiresAt: at(60).toISOString() });
    const expiring = history(create(requested(t0), t0), create(requested(t0), t0), create(shortLived, t0));
    given(expiring)
      .when(create(requested(at(59)), at(59)))
      .thenThrows({ code: 'ResourceLimitExceededException' });
    given(expiring)
      .when(create(requested(at(60)), at(60)))
      .then(oneEvent);
  });

  it('deletes only its own tokens, and a second deletion changes nothing', () => {
    const token = requested(t0);
    const created = history(create(token, t0));
    given(created).when(remove('nope', t0)).thenThrows({ code: 'ResourceNotFoundException' });
    given(created)
      .when(remove(token.tokenId, t0, '222222222222'))
      .thenThrows({ code: 'ResourceNotFoundException' });
    given(created)
      .when(remove(token.tokenId, at(1)))
      .thenState((deleted) =>
        expect(deleted.tokens[token.tokenId]).toMatchObject({ status: 'DELETED', deletedAt: at(1).toISOString() }),
      );
    const deleted = history(create(token, t0), remove(token.tokenId, at(1)));
    given(deleted)
      .when(remove(token.tokenId, at(2)))
      .thenNothing();
  });
});
