import { Inject, Injectable } from '@nestjs/common';
import type { UserSubscriptions } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import { DATABASE, REGION } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { listFilters } from '../../shared/list-filters';
import { listedPage } from '../../shared/list-page';
import { USER_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import { toLicenseServerEndpointOutput } from '../domain/license-server-endpoint';
import type { LicenseServerEndpointViews } from './license-server-endpoint.views';

/** ListLicenseServerEndpoints' filter (the model's documentation): IdentityProviderArn. */
const FILTERS = { IdentityProviderArn: 'identity_provider_arn' } as const;

/** The caller's endpoints, read from the view its writes updated in their own transaction. */
@Injectable()
export class LicenseServerEndpointQueries {
  private readonly db: Kysely<LicenseServerEndpointViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<LicenseServerEndpointViews>,
    @Inject(REGION) private readonly region: string,
  ) {
    this.db = db.withSchema(USER_SUBSCRIPTIONS_SCHEMA);
  }

  async list(
    caller: Caller,
    input: UserSubscriptions.ListLicenseServerEndpointsRequest,
  ): Promise<UserSubscriptions.ListLicenseServerEndpointsResponse> {
    const filters = listFilters(input.Filters, FILTERS);
    let query = this.db
      .selectFrom('license_server_endpoints')
      .select(['arn', 'created_at', 'state'])
      .where('account_id', '=', caller.accountId)
      .where('region', '=', this.region);
    for (const [column, value] of filters) query = query.where(column, '=', value);
    const { items, NextToken } = await listedPage(caller, input, query, 'created_at');
    return { LicenseServerEndpoints: items.map(toLicenseServerEndpointOutput), NextToken };
  }
}
