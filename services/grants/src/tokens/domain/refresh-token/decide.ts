import { AwsError, validation } from '@lm/contracts';
import type { RefreshTokenCommand } from './commands';
import { tokenNotFound } from './errors';
import type { RefreshTokenEvent, TokenCreatedData } from './events';
import { isLive, type AccountTokens, type RefreshToken } from './refresh-tokens';
import { CLIENT_TOKEN_WINDOW_MS } from './token-request';

/** The token an account created with this ClientToken within the idempotency window, if any. */
export function recentTokenFor(state: AccountTokens, clientToken: string, now: Date): RefreshToken | undefined {
  return Object.values(state.tokens).find(
    (token) =>
      token.clientToken === clientToken && now.getTime() - new Date(token.createdAt).getTime() < CLIENT_TOKEN_WINDOW_MS,
  );
}

const lifetimeMs = (token: Pick<RefreshToken, 'createdAt' | 'expiresAt'>) =>
  new Date(token.expiresAt).getTime() - new Date(token.createdAt).getTime();

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((value, i) => value === b[i]);

/** A repeat of the request that created `earlier`: the same licence, roles, properties and lifetime. */
function isSameRequest(earlier: RefreshToken, requested: TokenCreatedData): boolean {
  return (
    earlier.licenseArn === requested.licenseArn &&
    sameList(earlier.roleArns, requested.roleArns) &&
    sameList(earlier.tokenProperties, requested.tokenProperties) &&
    lifetimeMs(earlier) === lifetimeMs(requested)
  );
}

export function decideAccountTokens(command: RefreshTokenCommand, state: AccountTokens): RefreshTokenEvent[] {
  switch (command.type) {
    case 'CreateToken': {
      const { token, now } = command;
      const earlier = recentTokenFor(state, token.clientToken, now);
      if (earlier) {
        // A retry: the handler answers with the token created the first time.
        if (isSameRequest(earlier, token)) return [];
        throw validation('This ClientToken was used in the last 10 minutes for a different CreateToken request.');
      }
      const live = Object.values(state.tokens).filter(
        (t) => t.licenseArn === token.licenseArn && isLive(t, now),
      ).length;
      if (live >= command.limitPerLicense) {
        throw new AwsError(
          'ResourceLimitExceededException',
          `Account ${token.accountId} already has ${live} tokens for ${token.licenseArn}, the most allowed; delete one first.`,
        );
      }
      return [{ type: 'TokenCreated', data: token }];
    }
    case 'DeleteToken': {
      const token = state.tokens[command.tokenId];
      if (!token || token.accountId !== command.accountId) throw tokenNotFound(command.tokenId);
      if (token.status === 'DELETED') return [];
      return [
        {
          type: 'TokenDeleted',
          data: {
            tokenId: token.tokenId,
            accountId: token.accountId,
            licenseArn: token.licenseArn,
            deletedAt: command.now.toISOString(),
          },
        },
      ];
    }
  }
}

const STREAM_PREFIX = 'refresh-tokens-';

/** One stream per account: the tokens it created. */
export const accountTokensStream = (accountId: string) => `${STREAM_PREFIX}${accountId}`;

export const isAccountTokensStream = (streamName: string) => streamName.startsWith(STREAM_PREFIX);
