import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DATABASE } from '@lm/service-kit';
import { sql, type Kysely } from 'kysely';
import { DeregistrationBlockers } from '../../identity-providers/application/deregistration-blockers';
import { USER_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import { providedProducts, type ProductCodeTable } from '../domain/product-codes';
import { PRODUCT_CODES } from './product-code-table';
import type { InstanceViews } from './instance.views';

/** Instances named in a refusal, at most: the count says how many there are. */
const NAMED = 5;

/**
 * The guide's deregistration prerequisite this slice owns: "terminate the instance. Repeat until
 * all instances that refer to the Active Directory are terminated": the instances in the
 * registration's subnets that provide its product.
 */
@Injectable()
export class LiveInstancesBlocker implements OnModuleInit {
  private readonly db: Kysely<InstanceViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<InstanceViews>,
    @Inject(PRODUCT_CODES) private readonly productCodes: ProductCodeTable,
    private readonly blockers: DeregistrationBlockers,
  ) {
    this.db = db.withSchema(USER_SUBSCRIPTIONS_SCHEMA);
  }

  onModuleInit(): void {
    this.blockers.add(async (registration) => {
      const subnets = registration.settings?.subnets ?? [];
      if (subnets.length === 0) return [];
      const rows = await this.db
        .selectFrom('instances')
        .select(['instance_id', 'state'])
        .where('account_id', '=', registration.accountId)
        .where('region', '=', registration.region)
        .where('subnet_id', '=', sql<string>`any(${subnets})`)
        .where('status', '!=', 'TERMINATED')
        .orderBy('instance_id')
        .execute();
      const live = rows.filter(
        (row) => providedProducts([registration.product], row.state.productCodes, this.productCodes).length > 0,
      );
      if (live.length === 0) return [];
      const named = live.slice(0, NAMED).map((row) => row.instance_id);
      return [
        `${live.length} instance${live.length === 1 ? '' : 's'} providing ${registration.product} in its subnets ${live.length === 1 ? 'is' : 'are'} not terminated (${named.join(', ')}${live.length > NAMED ? ', ...' : ''})`,
      ];
    });
  }
}
