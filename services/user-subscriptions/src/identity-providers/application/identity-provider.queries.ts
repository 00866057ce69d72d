import { Inject, Injectable } from '@nestjs/common';
import type { UserSubscriptions } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import { DATABASE, pageOf, REGION } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { USER_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import { listFilters, pagingOf } from '../../shared/list-filters';
import { toIdentityProviderSummary } from '../domain/identity-provider';
import type { IdentityProviderViews } from './identity-provider.views';

/** ListIdentityProviders' filters (the model's documentation): Product and DirectoryId. */
const FILTERS = { Product: 'product', DirectoryId: 'directory_id' } as const;
const PAGES = { defaultSize: 50, maxSize: 100, invalidTokenError: 'ValidationException' };

/** The caller's registrations, read from the view its writes updated in their own transaction. */
@Injectable()
export class IdentityProviderQueries {
  private readonly db: Kysely<IdentityProviderViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<IdentityProviderViews>,
    @Inject(REGION) private readonly region: string,
  ) {
    this.db = db.withSchema(USER_SUBSCRIPTIONS_SCHEMA);
  }

  async list(
    caller: Caller,
    input: UserSubscriptions.ListIdentityProvidersRequest,
  ): Promise<UserSubscriptions.ListIdentityProvidersResponse> {
    const filters = listFilters(input.Filters, FILTERS);
    const page = pageOf<{ createdAt: string; arn: string }>(caller.accountId, pagingOf(input), PAGES);
    let query = this.db
      .selectFrom('identity_providers')
      .select(['arn', 'created_at', 'state'])
      .where('account_id', '=', caller.accountId)
      .where('region', '=', this.region);
    for (const [column, value] of filters) query = query.where(column, '=', value);
    if (page.after) {
      const { createdAt, arn } = page.after;
      query = query.where((eb) =>
        eb.or([
          eb('created_at', '>', new Date(createdAt)),
          eb.and([eb('created_at', '=', new Date(createdAt)), eb('arn', '>', arn)]),
        ]),
      );
    }
    const rows = await query
      .orderBy('created_at')
      .orderBy('arn')
      .limit(page.limit + 1)
      .execute();
    const { items, NextToken } = page.cut(rows, (row) => ({ createdAt: row.created_at.toISOString(), arn: row.arn }));
    return { IdentityProviderSummaries: items.map((row) => toIdentityProviderSummary(row.state)), NextToken };
  }
}
