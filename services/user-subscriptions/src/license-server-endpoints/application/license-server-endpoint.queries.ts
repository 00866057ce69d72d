import { Inject, Injectable } from '@nestjs/common';
import type { UserSubscriptions } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import { DATABASE, pageOf, REGION } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { listFilters, pagingOf } from '../../shared/list-filters';
import { USER_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import { toLicenseServerEndpointOutput } from '../domain/license-server-endpoint';
import type { LicenseServerEndpointViews } from './license-server-endpoint.views';

/** ListLicenseServerEndpoints' filter (the model's documentation): IdentityProviderArn. */
const FILTERS = { IdentityProviderArn: 'identity_provider_arn' } as const;
const PAGES = { defaultSize: 50, maxSize: 100, invalidTokenError: 'ValidationException' };

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
    const page = pageOf<{ createdAt: string; arn: string }>(caller.accountId, pagingOf(input), PAGES);
    let query = this.db
      .selectFrom('license_server_endpoints')
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
    return { LicenseServerEndpoints: items.map((row) => toLicenseServerEndpointOutput(row.state)), NextToken };
  }
}
