import { Inject, Injectable } from '@nestjs/common';
import type { LinuxSubscriptions } from '@lm/api-model';
import { validation, type Caller } from '@lm/contracts';
import { DATABASE, pageOf } from '@lm/service-kit';
import { sql, type Kysely } from 'kysely';
import { LINUX_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import { visibleTo, type AccountRegion } from '../domain/discovery-scope';
import type { LinuxInstance } from '../domain/linux-instance';
import { DiscoveryScopes } from './discovery-scopes';
import type { InstanceViews } from './instance.views';
import { checkedFilters, pagingOf, PAGES, type CheckedFilter } from './list-filters';

/** ListLinuxSubscriptionInstances' filter names (the model's documentation) and the column each reads. */
const INSTANCE_FILTERS = {
  AccountID: 'l.account_id',
  AmiID: 'l.ami_id',
  DualSubscription: 'l.dual_subscription',
  InstanceID: 'l.instance_id',
  InstanceType: 'l.instance_type',
  ProductCode: 'l.product_codes',
  Region: 'l.region',
  Status: 'l.status',
  UsageOperation: 'l.usage_operation',
} as const;

type InstanceFilterName = keyof typeof INSTANCE_FILTERS;

/**
 * One filter as SQL: Equal matches any of its values, NotEqual none of them, Contains any as a
 * substring (case-insensitive). ProductCode looks at each of the instance's codes; DualSubscription
 * compares "true" or "false" as the API shows it; a column the instance lacks is the empty string.
 */
function matching(filter: CheckedFilter<string>, column: string) {
  const values = filter.values;
  const text =
    column === 'l.dual_subscription'
      ? sql<string>`case when l.dual_subscription then 'true' else 'false' end`
      : sql<string>`coalesce(${sql.ref(column)}, '')`;
  if (column === 'l.product_codes') {
    switch (filter.operator) {
      case 'Equal':
        return sql<boolean>`l.product_codes && ${values}::text[]`;
      case 'NotEqual':
        return sql<boolean>`not (l.product_codes && ${values}::text[])`;
      case 'Contains':
        return sql<boolean>`exists (select 1 from unnest(l.product_codes) code, unnest(${values}::text[]) v where strpos(lower(code), lower(v)) > 0)`;
    }
  }
  const compared = column === 'l.dual_subscription' ? values.map((value) => value.toLowerCase()) : values;
  switch (filter.operator) {
    case 'Equal':
      return sql<boolean>`${text} = any(${compared}::text[])`;
    case 'NotEqual':
      return sql<boolean>`not (${text} = any(${compared}::text[]))`;
    case 'Contains':
      return sql<boolean>`exists (select 1 from unnest(${values}::text[]) v where strpos(lower(${text}), lower(v)) > 0)`;
  }
}

/** `(account, Region)` of the row is one the caller sees. */
const visible = (pairs: AccountRegion[]) =>
  sql<boolean>`exists (select 1 from unnest(${pairs.map((p) => p.accountId)}::text[], ${pairs.map((p) => p.region)}::text[]) as seen(account_id, region)
    where seen.account_id = l.account_id and seen.region = l.region)`;

/**
 * The discovered instances and subscriptions the caller sees: its own in its SourceRegions, and
 * with organization integration its organization's accounts' (nothing while its discovery is off).
 */
@Injectable()
export class InstanceQueries {
  private readonly db: Kysely<InstanceViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<InstanceViews>,
    private readonly scopes: DiscoveryScopes,
  ) {
    this.db = db.withSchema(LINUX_SUBSCRIPTIONS_SCHEMA);
  }

  async instances(
    caller: Caller,
    input: LinuxSubscriptions.ListLinuxSubscriptionInstancesRequest,
  ): Promise<LinuxSubscriptions.ListLinuxSubscriptionInstancesResponse> {
    const filters = checkedFilters(input.Filters, Object.keys(INSTANCE_FILTERS) as InstanceFilterName[]);
    const page = pageOf<{ i: string; a: string; r: string }>(caller.accountId, pagingOf(input), PAGES);
    const pairs = visibleTo(await this.scopes.of(caller.accountId));
    if (pairs.length === 0) return { Instances: [] };
    let query = this.db.selectFrom('linux_subscription_instances as l').select(['l.instance']).where(visible(pairs));
    for (const filter of filters) query = query.where(matching(filter, INSTANCE_FILTERS[filter.name]));
    if (page.after) {
      const { i, a, r } = page.after;
      if (typeof i !== 'string' || typeof a !== 'string' || typeof r !== 'string')
        throw validation('The NextToken is not valid.');
      query = query.where(sql<boolean>`(l.instance_id, l.account_id, l.region) > (${i}, ${a}, ${r})`);
    }
    const rows = await query
      .orderBy('l.instance_id')
      .orderBy('l.account_id')
      .orderBy('l.region')
      .limit(page.limit + 1)
      .execute();
    const { items, NextToken } = page.cut(rows, ({ instance }) => ({
      i: instance.instanceId,
      a: instance.accountId,
      r: instance.region,
    }));
    return { Instances: items.map(({ instance }) => toInstance(instance)), NextToken };
  }

  async subscriptions(
    caller: Caller,
    input: LinuxSubscriptions.ListLinuxSubscriptionsRequest,
  ): Promise<LinuxSubscriptions.ListLinuxSubscriptionsResponse> {
    const filters = checkedFilters(input.Filters, ['Subscription'] as const);
    const page = pageOf<{ n: string }>(caller.accountId, pagingOf(input), PAGES);
    const pairs = visibleTo(await this.scopes.of(caller.accountId));
    if (pairs.length === 0) return { Subscriptions: [] };
    let query = this.db
      .selectFrom('linux_subscription_instances as l')
      .select([
        'l.subscription_name',
        sql<string>`min(l.subscription_type)`.as('subscription_type'),
        sql<string>`count(*) filter (where l.status = 'running')`.as('running'),
      ])
      .where(visible(pairs))
      .groupBy('l.subscription_name');
    for (const filter of filters) query = query.where(matching(filter, 'l.subscription_name'));
    if (page.after) {
      if (typeof page.after.n !== 'string') throw validation('The NextToken is not valid.');
      query = query.where('l.subscription_name', '>', page.after.n);
    }
    const rows = await query
      .orderBy('l.subscription_name')
      .limit(page.limit + 1)
      .execute();
    const { items, NextToken } = page.cut(rows, (row) => ({ n: row.subscription_name }));
    return {
      Subscriptions: items.map((row) => ({
        Name: row.subscription_name,
        Type: row.subscription_type,
        InstanceCount: Number(row.running),
      })),
      NextToken,
    };
  }
}

function toInstance(instance: LinuxInstance): LinuxSubscriptions.Instance {
  const registration = instance.providerRegistration;
  return {
    AccountID: instance.accountId,
    AmiId: instance.amiId,
    DualSubscription: String(instance.dualSubscription),
    InstanceID: instance.instanceId,
    InstanceType: instance.instanceType,
    LastUpdatedTime: instance.lastUpdatedTime,
    OsVersion: instance.osVersion,
    ProductCode: instance.productCodes,
    Region: instance.region,
    RegisteredWithSubscriptionProvider: String(registration !== undefined),
    Status: instance.status,
    SubscriptionName: instance.subscriptionName,
    SubscriptionProviderCreateTime: registration?.subscriptionProviderCreateTime,
    SubscriptionProviderUpdateTime: registration?.subscriptionProviderUpdateTime,
    UsageOperation: instance.usageOperation,
  };
}
