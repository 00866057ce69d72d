import type { RefreshToken } from './refresh-tokens';

/**
 * A token is recorded by the SHA-256 of its text: enough to recognise it when it comes back,
 * useless to anyone reading the events. The token itself is never recorded.
 */
export type TokenCreatedData = Omit<RefreshToken, 'status' | 'deletedAt'>;

export type RefreshTokenEvent =
  | { type: 'TokenCreated'; data: TokenCreatedData }
  | { type: 'TokenDeleted'; data: { tokenId: string; accountId: string; licenseArn: string; deletedAt: string } };

export const REFRESH_TOKEN_EVENT_TYPES: readonly RefreshTokenEvent['type'][] = ['TokenCreated', 'TokenDeleted'];
