import { Injectable } from '@nestjs/common';
import {
  assertCataloguedVersion,
  isDiscoveryEvent,
  type DomainEventMessage,
  type ResourceObservedData,
} from '@lm/contracts';
import type { EventConsumer } from '@lm/service-kit';
import type { Transaction } from 'kysely';
import { LINUX_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import { classify } from '../domain/classification';
import type { InventoryObservation } from '../domain/commands';
import { InstanceDiscovery } from './instance-discovery';
import type { InstanceViews } from './instance.views';

const observationOf = (data: ResourceObservedData): InventoryObservation => ({
  usageOperation: data.usageOperation,
  productCodes: data.productCodes ?? [],
  platform: data.platform,
  platformVersion: data.platformVersion,
  amiId: data.amiId,
  instanceType: data.instanceType,
  state: data.state,
  observedAt: data.observedAt,
});

/**
 * Follows discovery's events (durable consumer 'linux-subscriptions-instances') into the copy of
 * the inventory (every account's EC2 instances, in the event's transaction), then lets the
 * instance be discovered when some account's discovery covers it. The decision is recorded on the
 * instance's stream before the event is acknowledged: a crash in between delivers the event again,
 * and deciding again on the same observation changes nothing.
 */
@Injectable()
export class InventoryInstancesConsumer implements EventConsumer {
  constructor(private readonly discovery: InstanceDiscovery) {}

  async handle(event: DomainEventMessage, trx: Transaction<any>): Promise<void> {
    if (!isDiscoveryEvent(event) || event.data.resourceType !== 'EC2_INSTANCE') return;
    assertCataloguedVersion(event);
    const db = (trx as Transaction<InstanceViews>).withSchema(LINUX_SUBSCRIPTIONS_SCHEMA);
    const { accountId, region, resourceId: instanceId } = event.data;
    const id = { accountId, region, instanceId };
    switch (event.type) {
      case 'ResourceObserved': {
        const observation = observationOf(event.data);
        const columns = {
          subscription_name: classify(observation)?.subscriptionName ?? null,
          state: observation.state,
          inactive: false,
          observed_at: observation.observedAt,
          observation: JSON.stringify(observation),
        };
        // Events of one resource may come again, or late: the latest observation stays.
        const latest = await db
          .insertInto('inventory_instances')
          .values({ account_id: accountId, region, instance_id: instanceId, ...columns })
          .onConflict((oc) =>
            oc
              .columns(['account_id', 'region', 'instance_id'])
              .doUpdateSet(columns)
              .where('inventory_instances.observed_at', '<=', new Date(observation.observedAt)),
          )
          .returning('instance_id')
          .executeTakeFirst();
        if (latest) await this.discovery.observed(id, observation);
        return;
      }
      case 'ResourceInactivated': {
        const inactivated = await db
          .updateTable('inventory_instances')
          .set({ inactive: true })
          .where('account_id', '=', accountId)
          .where('region', '=', region)
          .where('instance_id', '=', instanceId)
          .where('observed_at', '<=', new Date(event.data.inactivatedAt))
          .returning('instance_id')
          .executeTakeFirst();
        if (inactivated) await this.discovery.inactivated(id);
        return;
      }
      case 'ResourceObservationRefreshed':
        // Unchanged, seen again: nothing discovered changes (LastUpdatedTime is the last change).
        return;
    }
  }
}
