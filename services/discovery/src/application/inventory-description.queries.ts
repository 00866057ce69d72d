import { Inject, Injectable } from '@nestjs/common';
import type { EventStore, Recorded } from '@lm/event-store';
import {
  eventSchemaVersion,
  type DescribeInventoryResourcesInput,
  type DescribeInventoryResourcesResponse,
  type InventoryEventMessage,
} from '@lm/contracts';
import type { Kysely } from 'kysely';
import { inventoryResourceStream } from '../domain/inventory-resource/decide';
import type { InventoryResourceEvent } from '../domain/inventory-resource/events';
import { DISCOVERY_SCHEMA } from '../schema';
import type { InventoryResourceViews } from './inventory-resource.views';
import { KEY_COLUMNS } from './resource-key';
import { InventoryScopes } from './inventory-scope.queries';
import { DATABASE, EVENT_STORE } from '@lm/service-kit';

/** The most resources one question may name. */
const MAX_RESOURCES = 100;

/**
 * DescribeInventoryResources: what another service asks about resources it has not heard of yet.
 * The answer is the resources' own events, so that the asker applies them as it applies the
 * relayed ones: whichever comes first, the same observation wins.
 */
@Injectable()
export class InventoryDescriptions {
  private readonly db: Kysely<InventoryResourceViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<InventoryResourceViews>,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly scopes: InventoryScopes,
  ) {
    this.db = db.withSchema(DISCOVERY_SCHEMA);
  }

  async describe({
    Viewer,
    ResourceArns,
  }: DescribeInventoryResourcesInput): Promise<DescribeInventoryResourcesResponse> {
    const arns = [...new Set(ResourceArns)].slice(0, MAX_RESOURCES);
    if (arns.length === 0) return { Events: [] };
    const scope = await this.scopes.of(Viewer);
    // An AMI's ARN names no account: the same image may be known in several accounts of the scope.
    const keys = await this.db
      .selectFrom('inventory_resources')
      .select(KEY_COLUMNS)
      .where('resource_arn', 'in', arns)
      .where('account_id', 'in', scope.accountIds)
      .execute();
    const events = await Promise.all(
      keys.map(async (key) =>
        presentStateOf(
          (
            await this.store.readStream<InventoryResourceEvent>(
              inventoryResourceStream({
                accountId: key.account_id,
                region: key.region,
                resourceType: key.resource_type,
                resourceId: key.resource_id,
              }),
            )
          ).events,
        ),
      ),
    );
    return { Events: events.flat() };
  }
}

/**
 * The events that tell a resource's present state: its last ResourceObserved (every attribute),
 * then the ResourceInactivated that ended it, if any. Refreshes add nothing another service keeps.
 */
function presentStateOf(stream: Recorded<InventoryResourceEvent>[]): InventoryEventMessage[] {
  const lastObserved = stream.findLastIndex((event) => event.type === 'ResourceObserved');
  if (lastObserved < 0) return [];
  return stream.slice(lastObserved).flatMap((event) => {
    if (event.type === 'ResourceObservationRefreshed') return [];
    const envelope = {
      service: 'discovery',
      eventId: event.eventId,
      streamName: event.streamName,
      streamVersion: event.streamVersion,
      schemaVersion: eventSchemaVersion('discovery', event.type),
      recordedAt: event.recordedAt.toISOString(),
    };
    // The same object either way: each branch narrows the event's data to its own type.
    return [
      event.type === 'ResourceObserved'
        ? { ...envelope, type: event.type, data: event.data }
        : { ...envelope, type: event.type, data: event.data },
    ];
  });
}
