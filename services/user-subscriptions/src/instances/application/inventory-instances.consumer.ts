import { Inject, Injectable } from '@nestjs/common';
import { assertCataloguedVersion, isDiscoveryEvent, type DomainEventMessage } from '@lm/contracts';
import { handleCommand, type EventStore } from '@lm/event-store';
import { EVENT_STORE, type EventConsumer } from '@lm/service-kit';
import { sql, type Transaction } from 'kysely';
import { USER_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import { instanceDecider, instanceStream, type ObserveInstance } from '../domain/decide';
import { InstanceTerminations } from './instance-terminations';
import type { InstanceViews } from './instance.views';

/**
 * Follows discovery's events (durable consumer 'user-subscriptions-instances'): each observation of
 * an EC2 instance goes to the instance's decider, whose events (tracked, health changes,
 * termination) the instances view projects. Deciding runs outside the delivery's transaction: a
 * crash before the acknowledgement delivers the event again, and the decider finds nothing new.
 * When the instance is terminated, user associations disassociate its users (again, harmlessly,
 * on a redelivery; the association sweep also catches any left).
 */
@Injectable()
export class InventoryInstancesConsumer implements EventConsumer {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly terminations: InstanceTerminations,
  ) {}

  async handle(event: DomainEventMessage, trx: Transaction<any>): Promise<void> {
    if (!isDiscoveryEvent(event) || event.data.resourceType !== 'EC2_INSTANCE') return;
    assertCataloguedVersion(event);
    const { accountId, region, resourceId: instanceId } = event.data;
    const instance = { accountId, region, instanceId };
    let observation: ObserveInstance['observation'];
    switch (event.type) {
      case 'ResourceObserved':
        observation = {
          type: 'observed',
          subnetId: event.data.subnetId ?? null,
          productCodes: event.data.productCodes ?? [],
          state: event.data.state,
          observedAt: event.data.observedAt,
        };
        break;
      case 'ResourceInactivated':
        observation = { type: 'inactivated', inactivatedAt: event.data.inactivatedAt };
        break;
      case 'ResourceObservationRefreshed':
        await this.statusChecked(trx as Transaction<InstanceViews>, instance, event.data.observedAt);
        return;
    }
    const { state } = await handleCommand(this.store, instanceStream(instance), instanceDecider, {
      type: 'ObserveInstance',
      instance,
      observation,
    });
    if (state?.status === 'TERMINATED') await this.terminations.terminated(state);
  }

  /** Seen again unchanged: no change of the instance, only its last status check moves (if it is one user subscriptions follow). */
  private async statusChecked(
    trx: Transaction<InstanceViews>,
    { accountId, region, instanceId }: ObserveInstance['instance'],
    checkedAt: string,
  ): Promise<void> {
    const db = trx.withSchema(USER_SUBSCRIPTIONS_SCHEMA);
    await db
      .insertInto('instance_status_checks')
      .columns(['account_id', 'region', 'instance_id', 'checked_at'])
      .expression(
        db
          .selectFrom('instances')
          .select(['account_id', 'region', 'instance_id', sql<string>`${checkedAt}::timestamptz`.as('checked_at')])
          .where('account_id', '=', accountId)
          .where('region', '=', region)
          .where('instance_id', '=', instanceId),
      )
      .onConflict((oc) =>
        oc
          .columns(['account_id', 'region', 'instance_id'])
          .doUpdateSet({ checked_at: sql`greatest(instance_status_checks.checked_at, excluded.checked_at)` }),
      )
      .execute();
  }
}
