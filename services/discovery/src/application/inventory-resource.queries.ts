import { Inject, Injectable } from '@nestjs/common';
import type { LicenseManager } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import { DATABASE, pageOf } from '@lm/service-kit';
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import { parseInventoryFilters, type InventoryCriterion } from '../domain/inventory-filters';
import { invalidParameterValue } from '@lm/contracts';
import type { InventoryResource } from '../domain/inventory-resource/inventory-resource';
import { DISCOVERY_SCHEMA } from '../schema';
import type { InventoryResourceViews } from './inventory-resource.views';
import { afterKey, inKeyOrder, isResourceKey, KEY_COLUMNS, keyOf, type ResourceKey } from './resource-key';
import { InventoryScopes } from './inventory-scope.queries';

const PAGE_RULES = { defaultSize: 100, maxSize: 100 };

/** Where the next page starts: the key of the last resource of the previous one. */
type PageKey = { key: ResourceKey };

/** One text column compared with a value; NULL (never reported) differs from every value. */
function textCondition(column: string, condition: InventoryCriterion['condition'], value: string): Expression<SqlBool> {
  const ref = sql.ref(column);
  switch (condition) {
    case 'EQUALS':
      return sql<SqlBool>`${ref} = ${value}`;
    case 'NOT_EQUALS':
      return sql<SqlBool>`${ref} is distinct from ${value}`;
    case 'BEGINS_WITH':
      return sql<SqlBool>`starts_with(${ref}, ${value})`;
    case 'CONTAINS':
      return sql<SqlBool>`strpos(${ref}, ${value}) > 0`;
  }
}

/** A criterion as SQL on the inventory_resources view. */
function criterionCondition(criterion: InventoryCriterion): Expression<SqlBool> {
  switch (criterion.field) {
    case 'resource_id':
    case 'account_id':
    case 'platform':
      return textCondition(criterion.field, criterion.condition, criterion.value);
    case 'application_name':
      return criterion.condition === 'EQUALS'
        ? sql<SqlBool>`${criterion.value} = any(application_names)`
        : sql<SqlBool>`exists (select from unnest(application_names) as application(name) where starts_with(application.name, ${criterion.value}))`;
    case 'license_included': {
      const included = sql<SqlBool>`${criterion.value} = any(license_included)`;
      return criterion.condition === 'EQUALS' ? included : sql<SqlBool>`not ${included}`;
    }
    case 'tag': {
      const value = sql`tags ->> ${criterion.key}`;
      if (criterion.value === undefined) {
        return criterion.condition === 'EQUALS' ? sql<SqlBool>`${value} is not null` : sql<SqlBool>`${value} is null`;
      }
      return criterion.condition === 'EQUALS'
        ? sql<SqlBool>`${value} = ${criterion.value}`
        : sql<SqlBool>`${value} is distinct from ${criterion.value}`;
    }
  }
}

/** The API's ResourceInventory shape of a resource. */
function toResourceInventory(r: InventoryResource): LicenseManager.ResourceInventory {
  return {
    ResourceId: r.resourceId,
    ResourceType: r.resourceType,
    ResourceArn: r.resourceArn,
    Platform: r.platform ?? undefined,
    PlatformVersion: r.platformVersion ?? undefined,
    ResourceOwningAccountId: r.accountId,
    UsageOperation: r.usageOperation ?? undefined,
    AmiId: r.amiId ?? undefined,
    HostId: r.hostId ?? undefined,
    Region: r.region,
    InstanceType: r.instanceType ?? undefined,
    MarketplaceProductCodes: marketplaceProductCodesOf(r),
  };
}

/** The AWS Marketplace product codes of a resource (a code reported without a type is taken as one: DevPay is gone). */
function marketplaceProductCodesOf(r: InventoryResource): string[] | undefined {
  const codes = (r.productCodes ?? []).filter((code) => code.productCodeType !== 'devpay');
  return codes.length > 0 ? codes.map((code) => code.productCodeId) : undefined;
}

@Injectable()
export class InventoryQueries {
  private readonly db: Kysely<InventoryResourceViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<InventoryResourceViews>,
    private readonly scopes: InventoryScopes,
  ) {
    this.db = db.withSchema(DISCOVERY_SCHEMA);
  }

  /** The listed resources of the accounts the caller sees, in every Region, in key order. */
  async list(
    caller: Caller,
    input: LicenseManager.ListResourceInventoryRequest,
  ): Promise<LicenseManager.ListResourceInventoryResponse> {
    const page = pageOf<PageKey>(caller.accountId, input, PAGE_RULES);
    const after = page.after;
    if (after && !isResourceKey(after.key)) throw invalidParameterValue('The NextToken is not valid.');
    const scope = await this.scopes.of(caller);
    const criteria = parseInventoryFilters(input.Filters, { crossAccount: scope.crossAccount });
    let query = this.db
      .selectFrom('inventory_resources')
      .select([...KEY_COLUMNS, 'document'])
      .where('listed', '=', true)
      .where('account_id', 'in', scope.accountIds);
    for (const criterion of criteria) query = query.where(criterionCondition(criterion));
    if (after) query = query.where(afterKey(after.key));
    const rows = await inKeyOrder(query)
      .limit(page.limit + 1)
      .execute();
    const { items, NextToken } = page.cut(rows, (row) => ({ key: keyOf(row) }));
    return { ResourceInventoryList: items.map((row) => toResourceInventory(row.document)), NextToken };
  }
}
