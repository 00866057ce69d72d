import { Inject, Injectable } from '@nestjs/common';
import type { UserSubscriptions } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import { DATABASE, REGION } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { requestedDirectoryId } from '../../identity-providers/domain/directory';
import { listFilters, USER_FILTERS, whereUserFilters } from '../../shared/list-filters';
import { listedPage } from '../../shared/list-page';
import { productOf } from '../../shared/products';
import { USER_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import { toProductUserSummary } from '../domain/product-subscription';
import type { ProductSubscriptionViews } from './product-subscription.views';

/** The caller's subscriptions through one of its directories, read from the view its writes updated. */
@Injectable()
export class ProductSubscriptionQueries {
  private readonly db: Kysely<ProductSubscriptionViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<ProductSubscriptionViews>,
    @Inject(REGION) private readonly region: string,
  ) {
    this.db = db.withSchema(USER_SUBSCRIPTIONS_SCHEMA);
  }

  async list(
    caller: Caller,
    input: UserSubscriptions.ListProductSubscriptionsRequest,
  ): Promise<UserSubscriptions.ListProductSubscriptionsResponse> {
    const directoryId = requestedDirectoryId(input.IdentityProvider);
    const product = input.Product !== undefined ? productOf(input.Product) : undefined;
    const filters = listFilters(input.Filters, USER_FILTERS);
    let query = this.db
      .selectFrom('product_subscriptions')
      .select(['arn', 'requested_at', 'state'])
      .where('account_id', '=', caller.accountId)
      .where('region', '=', this.region)
      .where('directory_id', '=', directoryId);
    if (product) query = query.where('product', '=', product);
    const { items, NextToken } = await listedPage(caller, input, whereUserFilters(query, filters), 'requested_at');
    return { ProductUserSummaries: items.map(toProductUserSummary), NextToken };
  }
}
