import { Inject, Injectable } from '@nestjs/common';
import type { UserSubscriptions } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import { DATABASE, REGION } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { USER_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import { listFilters } from '../../shared/list-filters';
import { listedPage } from '../../shared/list-page';
import { toIdentityProviderSummary } from '../domain/identity-provider';
import type { IdentityProviderViews } from './identity-provider.views';

/** ListIdentityProviders' filters (the model's documentation): Product and DirectoryId. */
const FILTERS = { Product: 'product', DirectoryId: 'directory_id' } as const;

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
    let query = this.db
      .selectFrom('identity_providers')
      .select(['arn', 'created_at', 'state'])
      .where('account_id', '=', caller.accountId)
      .where('region', '=', this.region);
    for (const [column, value] of filters) query = query.where(column, '=', value);
    const { items, NextToken } = await listedPage(caller, input, query, 'created_at');
    return { IdentityProviderSummaries: items.map(toIdentityProviderSummary), NextToken };
  }
}
