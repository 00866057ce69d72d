import { Inject, Injectable } from '@nestjs/common';
import { DATABASE } from '@lm/service-kit';
import { sql, type Kysely } from 'kysely';
import type { IdentityProviderViews } from '../../identity-providers/application/identity-provider.views';
import type { Product } from '../../shared/products';
import { USER_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import type { InstanceStatus, InventoryInstance } from '../domain/instance';
import { providedProducts, type ProductCodeTable } from '../domain/product-codes';
import { PRODUCT_CODES } from './product-code-table';
import type { InstanceViews } from './instance.views';

/** An instance that provides user-based subscriptions through one of the account's directories. */
export interface UserSubscriptionInstance {
  instance: InventoryInstance;
  directoryId: string;
  /** What it provides: the products the directory is registered for in its subnet, narrowed by its product codes; sorted. */
  products: Product[];
  /** The registrations (one per product) it provides them through. */
  identityProviderArns: string[];
  /** When discovery last saw it, changed or not (LastStatusCheckDate), ISO 8601. */
  lastStatusCheck: string;
}

export interface InstanceCriteria {
  instanceId?: string;
  directoryId?: string;
  status?: InstanceStatus;
  /** Paging: after this (instance id, directory id), at most `limit`. */
  after?: { instanceId: string; directoryId: string };
  limit?: number;
}

type Views = InstanceViews & IdentityProviderViews;

/**
 * The account's user-subscription instances: inventory instances in a subnet of one of its
 * REGISTERED identity providers' Settings.Subnets, read when asked so that a subnet added to or
 * removed from a registration counts at once. One per instance and directory.
 */
@Injectable()
export class UserSubscriptionInstances {
  private readonly db: Kysely<Views>;

  constructor(
    @Inject(DATABASE) db: Kysely<Views>,
    @Inject(PRODUCT_CODES) private readonly productCodes: ProductCodeTable,
  ) {
    this.db = db.withSchema(USER_SUBSCRIPTIONS_SCHEMA);
  }

  async of(accountId: string, region: string, criteria: InstanceCriteria = {}): Promise<UserSubscriptionInstance[]> {
    const found: UserSubscriptionInstance[] = [];
    let after = criteria.after;
    for (;;) {
      const rows = await this.candidates(accountId, region, { ...criteria, after });
      found.push(...rows.flatMap((row) => this.providing(row)));
      // An instance its product codes leave with no product is skipped: read on until the page is full.
      if (criteria.limit === undefined || rows.length < criteria.limit || found.length >= criteria.limit)
        return found.slice(0, criteria.limit);
      const last = rows[rows.length - 1];
      after = { instanceId: last.instance_id, directoryId: last.directory_id };
    }
  }

  /** The instances in the subnets of the account's REGISTERED identity providers, one row per instance and directory. */
  private candidates(accountId: string, region: string, criteria: InstanceCriteria) {
    let query = this.db
      .selectFrom('instances as i')
      .innerJoin('identity_providers as p', (join) =>
        join
          .onRef('p.account_id', '=', 'i.account_id')
          .onRef('p.region', '=', 'i.region')
          .on('p.status', '=', 'REGISTERED')
          .on(sql<boolean>`p.subnets @> jsonb_build_array(i.subnet_id)`),
      )
      .leftJoin('instance_status_checks as c', (join) =>
        join
          .onRef('c.account_id', '=', 'i.account_id')
          .onRef('c.region', '=', 'i.region')
          .onRef('c.instance_id', '=', 'i.instance_id'),
      )
      .select([
        'i.instance_id',
        'p.directory_id',
        'i.state',
        sql<Product[]>`jsonb_agg(p.product order by p.product)`.as('products'),
        sql<string[]>`jsonb_agg(p.arn order by p.product)`.as('arns'),
        sql<Date>`greatest(i.observed_at, c.checked_at)`.as('checked_at'),
      ])
      .where('i.account_id', '=', accountId)
      .where('i.region', '=', region)
      .groupBy(['i.instance_id', 'p.directory_id', 'i.state', 'i.observed_at', 'c.checked_at']);
    if (criteria.instanceId !== undefined) query = query.where('i.instance_id', '=', criteria.instanceId);
    if (criteria.directoryId !== undefined) query = query.where('p.directory_id', '=', criteria.directoryId);
    if (criteria.status !== undefined) query = query.where('i.status', '=', criteria.status);
    if (criteria.after) {
      const { instanceId, directoryId } = criteria.after;
      query = query.where((eb) =>
        eb.or([
          eb('i.instance_id', '>', instanceId),
          eb.and([eb('i.instance_id', '=', instanceId), eb('p.directory_id', '>', directoryId)]),
        ]),
      );
    }
    query = query.orderBy('i.instance_id').orderBy('p.directory_id');
    if (criteria.limit !== undefined) query = query.limit(criteria.limit);
    return query.execute();
  }

  private providing(row: {
    directory_id: string;
    state: InventoryInstance;
    products: Product[];
    arns: string[];
    checked_at: Date;
  }): UserSubscriptionInstance[] {
    const products = providedProducts(row.products, row.state.productCodes, this.productCodes);
    if (products.length === 0) return [];
    const arns = row.arns.filter((_, index) => products.includes(row.products[index]));
    return [
      {
        instance: row.state,
        directoryId: row.directory_id,
        products,
        identityProviderArns: arns,
        lastStatusCheck: new Date(row.checked_at).toISOString(),
      },
    ];
  }

  /** The instance as a user-subscription instance of the directory, if it is one. */
  async one(accountId: string, region: string, instanceId: string, directoryId: string) {
    const [found] = await this.of(accountId, region, { instanceId, directoryId });
    return found as UserSubscriptionInstance | undefined;
  }
}
