import { Inject, Injectable } from '@nestjs/common';
import type { LicenseManager } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import { DATABASE, pageOf, type PageRules } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { validation } from '@lm/contracts';
import type { RefreshToken } from '../domain/refresh-token/refresh-tokens';
import { GRANTS_SCHEMA } from '../../shared/schema';
import type { TokenViews } from './tokens.views';
import { assertNotRestricted } from './refresh-token-callers';

/** ListTokens pages of 100 at most; a bad NextToken is ValidationException. */
const TOKEN_PAGES: PageRules = { defaultSize: 100, maxSize: 100, invalidTokenError: 'ValidationException' };

/** ListTokens' one filter (as the API documents it). */
const LICENSE_ARNS_FILTER = 'LicenseArns';

export const toTokenData = (token: RefreshToken): LicenseManager.TokenData => ({
  TokenId: token.tokenId,
  TokenType: 'REFRESH_TOKEN',
  LicenseArn: token.licenseArn,
  ExpirationTime: token.expiresAt,
  TokenProperties: token.tokenProperties,
  RoleArns: token.roleArns,
  Status: token.status,
});

@Injectable()
export class RefreshTokenQueries {
  private readonly db: Kysely<TokenViews>;

  constructor(@Inject(DATABASE) db: Kysely<TokenViews>) {
    this.db = db.withSchema(GRANTS_SCHEMA);
  }

  /** A token as recorded (deleted ones too), whoever created it. */
  async find(tokenId: string): Promise<RefreshToken | undefined> {
    const row = await this.db
      .selectFrom('refresh_tokens')
      .select('document')
      .where('token_id', '=', tokenId)
      .executeTakeFirst();
    return row?.document;
  }

  /** The caller's own tokens, oldest first, deleted ones with Status DELETED. */
  async list(caller: Caller, input: LicenseManager.ListTokensRequest): Promise<LicenseManager.ListTokensResponse> {
    assertNotRestricted(caller);
    const page = pageOf<{ createdAt: string; tokenId: string }>(caller.accountId, input, TOKEN_PAGES);
    const after = page.after;
    let query = this.db
      .selectFrom('refresh_tokens')
      .select(['token_id', 'created_at', 'document'])
      .where('account_id', '=', caller.accountId)
      .orderBy('created_at')
      .orderBy('token_id')
      .limit(page.limit + 1);
    if (input.TokenIds) {
      if (input.TokenIds.length === 0) return { Tokens: [] };
      query = query.where('token_id', 'in', input.TokenIds);
    }
    for (const filter of input.Filters ?? []) {
      if (filter.Name !== LICENSE_ARNS_FILTER)
        throw validation(`Filter name ${filter.Name} is not supported. Supported: ${LICENSE_ARNS_FILTER}.`);
      if (!filter.Values?.length) throw validation(`Filter ${LICENSE_ARNS_FILTER} needs at least one value.`);
      query = query.where('license_arn', 'in', filter.Values);
    }
    if (after) {
      query = query.where((eb) =>
        eb.or([
          eb('created_at', '>', new Date(after.createdAt)),
          eb.and([eb('created_at', '=', new Date(after.createdAt)), eb('token_id', '>', after.tokenId)]),
        ]),
      );
    }
    const rows = await query.execute();
    const { items, NextToken } = page.cut(rows, (row) => ({
      createdAt: row.created_at.toISOString(),
      tokenId: row.token_id,
    }));
    return { Tokens: items.map((row) => toTokenData(row.document)), NextToken };
  }
}
