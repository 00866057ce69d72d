import { Injectable } from '@nestjs/common';
import { assertCataloguedVersion, isDiscoveryEvent, type DomainEventMessage } from '@lm/contracts';
import type { EventConsumer } from '@lm/service-kit';
import type { Transaction } from 'kysely';
import { applyInactivation, applyObservation } from '../../inventory/application/inventory-copy';
import { ConversionTaskCommands } from './conversion-task.commands';

/**
 * Follows discovery's events (durable consumer 'conversion-inventory'): keeps the copy of the
 * inventory in the event's transaction, then lets a conversion in progress on the instance
 * succeed when it shows the destination. The decision is recorded before the event is
 * acknowledged: a crash in between delivers the event again, and deciding again changes nothing.
 */
@Injectable()
export class InventoryConsumer implements EventConsumer {
  constructor(private readonly tasks: ConversionTaskCommands) {}

  async handle(event: DomainEventMessage, trx: Transaction<any>): Promise<void> {
    if (!isDiscoveryEvent(event) || event.data.resourceType !== 'EC2_INSTANCE') return;
    assertCataloguedVersion(event);
    if (event.type === 'ResourceObserved') {
      const latest = await applyObservation(event.data, trx);
      if (latest) await this.tasks.observed(event.data, latest);
    } else if (event.type === 'ResourceInactivated') {
      await applyInactivation(event.data, trx);
    }
  }
}
