import { defineProjection } from '@lm/event-store';
import { isAccountTokensStream } from '../domain/refresh-token/decide';
import { REFRESH_TOKEN_EVENT_TYPES, type RefreshTokenEvent } from '../domain/refresh-token/events';
import { evolveAccountTokens } from '../domain/refresh-token/refresh-tokens';
import { GRANTS_SCHEMA } from '../../shared/schema';
import type { TokenViews } from './tokens.views';

/**
 * The refresh_tokens view: one row per token, folded with the domain's own evolve. What
 * GetAccessToken, AssumeRoleWithWebIdentity and ResolveSessionCredentials check a token against,
 * in the append's own transaction, so a deleted token stops working at once.
 */
export const refreshTokensProjection = defineProjection<RefreshTokenEvent, TokenViews>()({
  name: 'refresh-tokens',
  eventTypes: REFRESH_TOKEN_EVENT_TYPES,
  async handle(events, trx) {
    const db = trx.withSchema(GRANTS_SCHEMA);
    for (const event of events) {
      if (!isAccountTokensStream(event.streamName)) continue;
      if (event.type === 'TokenCreated') {
        const token = evolveAccountTokens({ tokens: {} }, event).tokens[event.data.tokenId];
        await db
          .insertInto('refresh_tokens')
          .values({
            token_id: token.tokenId,
            account_id: token.accountId,
            license_arn: token.licenseArn,
            status: token.status,
            created_at: token.createdAt,
            expires_at: token.expiresAt,
            token_sha256: token.tokenSha256,
            document: JSON.stringify(token),
          })
          // A replayed creation changes nothing; a later deletion must not be undone by it.
          .onConflict((oc) => oc.column('token_id').doNothing())
          .execute();
        continue;
      }
      const row = await db
        .selectFrom('refresh_tokens')
        .select('document')
        .where('token_id', '=', event.data.tokenId)
        .forUpdate()
        .executeTakeFirst();
      if (!row) continue;
      const token = evolveAccountTokens({ tokens: { [event.data.tokenId]: row.document } }, event).tokens[
        event.data.tokenId
      ];
      await db
        .updateTable('refresh_tokens')
        .set({ status: token.status, document: JSON.stringify(token) })
        .where('token_id', '=', token.tokenId)
        .execute();
    }
  },
  async truncate(db) {
    await db.withSchema(GRANTS_SCHEMA).deleteFrom('refresh_tokens').execute();
  },
});
