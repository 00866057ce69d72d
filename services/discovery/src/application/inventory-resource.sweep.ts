import { Inject, Injectable, Logger } from '@nestjs/common';
import { handleCommand, type EventStore } from '@lm/event-store';
import { CLOCK, DATABASE, EVENT_STORE, type Clock, type Sweep } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { inventoryResourceDecider, inventoryResourceStream } from '../domain/inventory-resource/decide';
import { INACTIVE_AFTER_MS } from '../domain/inventory-resource/inventory-resource';
import { DISCOVERY_SCHEMA } from '../schema';
import type { InventoryResourceViews } from './inventory-resource.views';
import { afterKey, inKeyOrder, KEY_COLUMNS, keyOf, type ResourceKey } from './resource-key';

const BATCH = 200;
const logger = new Logger('InventorySweep');

/**
 * The 30-day rule: finds the active resources whose last observation is older than the
 * inactivity period, and lets each resource's decider inactivate it. The decider checks again
 * on the stream, so a report that arrives meanwhile, or another replica sweeping at the same
 * time, never inactivates a resource that should stay active, nor twice.
 */
@Injectable()
export class InventorySweep implements Sweep {
  private readonly db: Kysely<InventoryResourceViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<InventoryResourceViews>,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.db = db.withSchema(DISCOVERY_SCHEMA);
  }

  /** Runs one sweep at the clock's time; resolves to how many resources it inactivated. */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    const cutoff = new Date(now.getTime() - INACTIVE_AFTER_MS);
    let inactivated = 0;
    let after: ResourceKey | undefined;
    for (;;) {
      let query = this.db
        .selectFrom('inventory_resources')
        .select([...KEY_COLUMNS])
        .where('active', '=', true)
        .where('last_observed_at', '<=', cutoff);
      if (after) query = query.where(afterKey(after));
      const rows = await inKeyOrder(query).limit(BATCH).execute();
      for (const row of rows) {
        const stream = inventoryResourceStream({
          accountId: row.account_id,
          region: row.region,
          resourceType: row.resource_type,
          resourceId: row.resource_id,
        });
        const { newEvents } = await handleCommand(this.store, stream, inventoryResourceDecider, {
          type: 'CheckActivity',
          now,
        });
        inactivated += newEvents.length;
      }
      if (rows.length < BATCH) {
        if (inactivated > 0) logger.log(`${inactivated} resource(s) not reported for 30 days are now inactive`);
        return inactivated;
      }
      after = keyOf(rows[rows.length - 1]);
    }
  }
}
