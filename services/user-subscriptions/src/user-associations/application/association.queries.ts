import { Inject, Injectable } from '@nestjs/common';
import type { UserSubscriptions } from '@lm/api-model';
import { validation, type Caller } from '@lm/contracts';
import { DATABASE, REGION } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { requestedDirectoryId } from '../../identity-providers/domain/directory';
import { listFilters, USER_FILTERS, whereUserFilters } from '../../shared/list-filters';
import { listedPage } from '../../shared/list-page';
import { USER_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import { toInstanceUserSummary } from '../domain/association';
import type { UserAssociationViews } from './association.views';

/** The users associated (now or before) with one of the caller's instances through one of its directories. */
@Injectable()
export class AssociationQueries {
  private readonly db: Kysely<UserAssociationViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<UserAssociationViews>,
    @Inject(REGION) private readonly region: string,
  ) {
    this.db = db.withSchema(USER_SUBSCRIPTIONS_SCHEMA);
  }

  async list(
    caller: Caller,
    input: UserSubscriptions.ListUserAssociationsRequest,
  ): Promise<UserSubscriptions.ListUserAssociationsResponse> {
    const directoryId = requestedDirectoryId(input.IdentityProvider);
    if (!input.InstanceId?.trim()) throw validation('InstanceId is required.');
    const filters = listFilters(input.Filters, USER_FILTERS);
    const query = this.db
      .selectFrom('user_associations')
      .select(['arn', 'requested_at', 'state'])
      .where('account_id', '=', caller.accountId)
      .where('region', '=', this.region)
      .where('instance_id', '=', input.InstanceId.trim())
      .where('directory_id', '=', directoryId);
    const { items, NextToken } = await listedPage(caller, input, whereUserFilters(query, filters), 'requested_at');
    return { InstanceUserSummaries: items.map(toInstanceUserSummary), NextToken };
  }
}
