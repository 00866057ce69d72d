import { defineProjection, type Recorded } from '@lm/event-store';
import type { Transaction } from 'kysely';
import type { InventoryResourceEvent, ResourceIdentity } from '../domain/inventory-resource/events';
import { INVENTORY_RESOURCE_EVENT_TYPES } from '../domain/inventory-resource/events';
import {
  evolveInventoryResource,
  isListed,
  type InventoryResourceState,
} from '../domain/inventory-resource/inventory-resource';
import { DISCOVERY_SCHEMA } from '../schema';
import type { InventoryResourceViews } from './inventory-resource.views';

type Db = Transaction<InventoryResourceViews>;

function byKey(db: Db, key: ResourceIdentity) {
  return db
    .selectFrom('inventory_resources')
    .where('account_id', '=', key.accountId)
    .where('region', '=', key.region)
    .where('resource_type', '=', key.resourceType)
    .where('resource_id', '=', key.resourceId);
}

/** The resource's state before an event, from its row; 'already-applied' for a replayed event. */
async function stateBefore(
  db: Db,
  event: Recorded<InventoryResourceEvent>,
): Promise<InventoryResourceState | 'already-applied'> {
  const row = await byKey(db, event.data).select(['version', 'document']).forUpdate().executeTakeFirst();
  if (row && row.version >= event.streamVersion) return 'already-applied';
  return row ? { status: 'known', resource: row.document } : { status: 'unknown' };
}

/**
 * The inventory_resources view: each row is the resource's state folded with the domain's own
 * evolve, with the columns ListResourceInventory filters on. Events carry the resource's
 * identity, which is the row's key; rows remember the stream version they reflect, so replays
 * change nothing.
 */
export const inventoryResourcesProjection = defineProjection<InventoryResourceEvent, InventoryResourceViews>()({
  name: 'inventory-resources',
  eventTypes: INVENTORY_RESOURCE_EVENT_TYPES,
  async handle(events, trx) {
    const db = trx.withSchema(DISCOVERY_SCHEMA);
    for (const event of events) {
      const before = await stateBefore(db, event);
      if (before === 'already-applied') continue;
      const after = evolveInventoryResource(before, event);
      if (after.status !== 'known') continue;
      const r = after.resource;
      const values = {
        resource_arn: r.resourceArn,
        state: r.state,
        platform: r.platform,
        application_names: r.applications.map((application) => application.name),
        license_included: r.licenseIncluded,
        tags: JSON.stringify(r.tags),
        active: r.active,
        listed: isListed(r),
        last_observed_at: r.lastObservedAt,
        version: event.streamVersion,
        document: JSON.stringify(r),
      };
      await db
        .insertInto('inventory_resources')
        .values({
          account_id: r.accountId,
          region: r.region,
          resource_type: r.resourceType,
          resource_id: r.resourceId,
          ...values,
        })
        .onConflict((oc) =>
          oc
            .columns(['account_id', 'region', 'resource_type', 'resource_id'])
            .doUpdateSet(values)
            .where('inventory_resources.version', '<', event.streamVersion),
        )
        .execute();
    }
  },
  async truncate(db) {
    await db.withSchema(DISCOVERY_SCHEMA).deleteFrom('inventory_resources').execute();
  },
});
