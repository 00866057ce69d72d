import { Injectable } from '@nestjs/common';
import { isDiscoveryEvent, type DomainEventMessage } from '@lm/contracts';
import type { EventConsumer } from '@lm/service-kit';
import type { Transaction } from 'kysely';
import { AssetGroupMembership } from '../../asset-groups/application/asset-group-membership';
import { instanceAsset, isInstance } from '../../asset-groups/domain/asset-facts';
import { isGone } from '../../shared/resource';
import { applyInventoryEvent } from './inventory-copy';
import { ResourceLifecycle } from './resource-lifecycle.commands';

/**
 * Follows discovery's events (durable consumer 'licensing-inventory'): keeps licensing's copy of
 * the inventory, and lets the resource's licences follow what changed (released on stop, taken
 * again on start, associations ended on termination, automated discovery), and instances join
 * and leave license asset groups as they come, change and go.
 */
@Injectable()
export class InventoryConsumer implements EventConsumer {
  constructor(private readonly lifecycle: ResourceLifecycle) {}

  async handle(event: DomainEventMessage, trx: Transaction<any>): Promise<void> {
    if (!isDiscoveryEvent(event)) return;
    const changed = await applyInventoryEvent(event, trx);
    if (!changed) return;
    await this.lifecycle.onResourceChanged(changed);
    // Last: the owner's asset group lock is then held only until this transaction commits.
    if (isInstance(changed)) {
      const asset = instanceAsset(changed);
      await new AssetGroupMembership(trx).assetChanged(
        changed.accountId,
        asset,
        !isGone(changed),
        new Date(event.recordedAt),
      );
    }
  }
}
