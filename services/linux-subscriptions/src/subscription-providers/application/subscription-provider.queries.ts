import { Inject, Injectable } from '@nestjs/common';
import type { LinuxSubscriptions } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import { DATABASE, pageOf, REGION } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { parseLinuxSubscriptionsArn } from '../../shared/arns';
import { LINUX_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import { subscriptionProviderNotFound } from '../domain/errors';
import { toRegisteredSubscriptionProvider, type SubscriptionProvider } from '../domain/subscription-provider';
import type { SubscriptionProviderViews } from './subscription-provider.views';

/** ListRegisteredSubscriptionProviders: MaxResults 1 to 100 (the model's bounds). */
const PAGES = { defaultSize: 100, maxSize: 100, invalidTokenError: 'ValidationException' };

/** The caller's providers, read from the view its writes updated in their own transaction. */
@Injectable()
export class SubscriptionProviderQueries {
  private readonly db: Kysely<SubscriptionProviderViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<SubscriptionProviderViews>,
    @Inject(REGION) private readonly region: string,
  ) {
    this.db = db.withSchema(LINUX_SUBSCRIPTIONS_SCHEMA);
  }

  async get(
    caller: Caller,
    input: LinuxSubscriptions.GetRegisteredSubscriptionProviderRequest,
  ): Promise<LinuxSubscriptions.GetRegisteredSubscriptionProviderResponse> {
    return toRegisteredSubscriptionProvider(await this.named(caller, input.SubscriptionProviderArn));
  }

  async list(
    caller: Caller,
    input: LinuxSubscriptions.ListRegisteredSubscriptionProvidersRequest,
  ): Promise<LinuxSubscriptions.ListRegisteredSubscriptionProvidersResponse> {
    const page = pageOf<{ createdAt: string; arn: string }>(caller.accountId, input, PAGES);
    let query = this.db
      .selectFrom('subscription_providers')
      .select(['arn', 'created_at', 'state'])
      .where('account_id', '=', caller.accountId)
      .where('region', '=', this.region);
    const sources = input.SubscriptionProviderSources ?? [];
    if (sources.length > 0) query = query.where('source', 'in', sources);
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
    return {
      RegisteredSubscriptionProviders: items.map((row) => toRegisteredSubscriptionProvider(row.state)),
      NextToken,
    };
  }

  /** The caller's live provider an ARN names; another account's, or a malformed ARN, is not found. */
  async named(caller: Caller, arn: string): Promise<SubscriptionProvider> {
    const parts = parseLinuxSubscriptionsArn('subscription-provider', arn);
    const row =
      parts?.accountId === caller.accountId && parts.region === this.region
        ? await this.db
            .selectFrom('subscription_providers')
            .select('state')
            .where('arn', '=', arn)
            .where('account_id', '=', caller.accountId)
            .executeTakeFirst()
        : undefined;
    if (!row) throw subscriptionProviderNotFound(arn);
    return row.state;
  }

  /** Whether the account has a live provider (what deactivating discovery waits for). */
  async registeredIn(accountId: string): Promise<SubscriptionProvider | undefined> {
    const row = await this.db
      .selectFrom('subscription_providers')
      .select('state')
      .where('account_id', '=', accountId)
      .where('region', '=', this.region)
      .executeTakeFirst();
    return row?.state;
  }

  async byArn(arn: string): Promise<SubscriptionProvider | undefined> {
    const row = await this.db
      .selectFrom('subscription_providers')
      .select('state')
      .where('arn', '=', arn)
      .executeTakeFirst();
    return row?.state;
  }

  /** Every live provider, oldest first: what a scheduled retrieval reads. */
  async all(): Promise<SubscriptionProvider[]> {
    const rows = await this.db
      .selectFrom('subscription_providers')
      .select('state')
      .where('region', '=', this.region)
      .orderBy('created_at')
      .execute();
    return rows.map((row) => row.state);
  }
}
