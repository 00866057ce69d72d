import { randomBytes } from 'node:crypto';
import type { RefreshTokenEvent } from './events';

export type RefreshTokenStatus = 'AVAILABLE' | 'DELETED';

/** A refresh token as the service keeps it: everything but the token's text. */
export interface RefreshToken {
  tokenId: string;
  /** The account that created it: the `sub` of its JWT, and the only one that lists or deletes it. */
  accountId: string;
  licenseArn: string;
  roleArns: string[];
  tokenProperties: string[];
  /** ISO 8601, whole seconds (the JWT's `iat`). */
  createdAt: string;
  /** ISO 8601, whole seconds (the JWT's `exp`). */
  expiresAt: string;
  /** Hex SHA-256 of the token's text. */
  tokenSha256: string;
  /** The ClientToken it was created with, for repeats within the idempotency window. */
  clientToken: string;
  status: RefreshTokenStatus;
  deletedAt?: string;
}

/** The tokens one account created (every licence): the aggregate on which the per-licence limit and ClientTokens are decided. */
export interface AccountTokens {
  tokens: Record<string, RefreshToken>;
}

export const initialAccountTokens = (): AccountTokens => ({ tokens: {} });

export function evolveAccountTokens(state: AccountTokens, event: RefreshTokenEvent): AccountTokens {
  switch (event.type) {
    case 'TokenCreated':
      return { tokens: { ...state.tokens, [event.data.tokenId]: { ...event.data, status: 'AVAILABLE' } } };
    case 'TokenDeleted': {
      const token = state.tokens[event.data.tokenId];
      if (!token) return state;
      return {
        tokens: { ...state.tokens, [token.tokenId]: { ...token, status: 'DELETED', deletedAt: event.data.deletedAt } },
      };
    }
  }
}

/** A token that can still be exchanged: not deleted, not expired. */
export const isLive = (token: RefreshToken, now: Date): boolean =>
  token.status === 'AVAILABLE' && new Date(token.expiresAt) > now;

/** TokenIds are 32 random hex digits. */
export const newTokenId = (): string => randomBytes(16).toString('hex');
