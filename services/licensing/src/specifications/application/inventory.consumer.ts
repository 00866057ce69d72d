import { Injectable } from '@nestjs/common';
import { isDiscoveryEvent, type DomainEventMessage } from '@lm/contracts';
import type { EventConsumer } from '@lm/service-kit';
import type { Transaction } from 'kysely';
import { applyInventoryEvent } from './inventory-copy';
import { ResourceLifecycle } from './resource-lifecycle.commands';

/**
 * Follows discovery's events (durable consumer 'licensing-inventory'): keeps licensing's copy of
 * the inventory, and lets the resource's licences follow what changed (released on stop, taken
 * again on start, associations ended on termination, automated discovery).
 */
@Injectable()
export class InventoryConsumer implements EventConsumer {
  constructor(private readonly lifecycle: ResourceLifecycle) {}

  async handle(event: DomainEventMessage, trx: Transaction<any>): Promise<void> {
    if (!isDiscoveryEvent(event)) return;
    const changed = await applyInventoryEvent(event, trx);
    if (changed) await this.lifecycle.onResourceChanged(changed);
  }
}
