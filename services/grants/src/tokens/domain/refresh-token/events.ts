import type { RefreshToken } from './refresh-tokens';
import type { CataloguedEvents } from '@lm/contracts';

/**
 * A token is recorded by the SHA-256 of its text: enough to recognise it when it comes back,
 * useless to anyone reading the events. The token itself is never recorded.
 */
export type TokenCreatedData = Omit<RefreshToken, 'status' | 'deletedAt'>;

export type RefreshTokenEvent =
  | { type: 'TokenCreated'; data: TokenCreatedData }
  | { type: 'TokenDeleted'; data: { tokenId: string; accountId: string; licenseArn: string; deletedAt: string } };

/** An access token was handed out for a refresh token: for the record (its text is not). */
export interface AccessTokenIssuedData {
  tokenId: string;
  accountId: string;
  licenseArn: string;
  accessTokenId: string;
  tokenProperties: string[];
  issuedAt: string;
  expiresAt: string;
}

export type AccessTokenEvent = { type: 'AccessTokenIssued'; data: AccessTokenIssuedData };

/** The access tokens of one refresh token, apart from the account's stream, which every CreateToken reads. */
export const accessTokensStream = (tokenId: string) => `access-tokens-${tokenId}`;

export const REFRESH_TOKEN_EVENT_TYPES: readonly RefreshTokenEvent['type'][] = ['TokenCreated', 'TokenDeleted'];

/** Relayed to lm.events.grants.*: a type missing from the catalogue of @lm/contracts fails to compile here. */
type _Published = CataloguedEvents<'grants', RefreshTokenEvent | AccessTokenEvent>;
