import { Inject, Injectable } from '@nestjs/common';
import { DATABASE } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import type { InstanceFacts } from '../../shared/instance-facts';
import { CONVERSION_SCHEMA } from '../../shared/schema';
import type { InventoryViews } from './inventory.views';

/** Reads the copy of the inventory: an account's active instance in a Region. */
@Injectable()
export class InventoryInstances {
  private readonly db: Kysely<InventoryViews>;

  constructor(@Inject(DATABASE) db: Kysely<InventoryViews>) {
    this.db = db.withSchema(CONVERSION_SCHEMA);
  }

  async factsOf(accountId: string, region: string, resourceId: string): Promise<InstanceFacts | undefined> {
    const row = await this.db
      .selectFrom('inventory_instances')
      .select('facts')
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('resource_id', '=', resourceId)
      .where('inactive', '=', false)
      .executeTakeFirst();
    return row?.facts;
  }
}
