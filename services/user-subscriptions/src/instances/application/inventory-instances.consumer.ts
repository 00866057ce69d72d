import { Injectable } from '@nestjs/common';
import { assertCataloguedVersion, isDiscoveryEvent, type DomainEventMessage } from '@lm/contracts';
import type { EventConsumer } from '@lm/service-kit';
import { sql, type Transaction } from 'kysely';
import { USER_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import { observeInstance, type InstanceObservation } from '../domain/instance';
import { InstanceTerminations } from './instance-terminations';
import type { InstanceViews } from './instance.views';

/**
 * Follows discovery's events (durable consumer 'user-subscriptions-instances') into the instances
 * view, and on a termination lets user associations disassociate the instance's users. That runs
 * before the event is acknowledged, outside its transaction: a crash in between delivers the event
 * again, and disassociating again changes nothing (the association sweep also catches any left).
 */
@Injectable()
export class InventoryInstancesConsumer implements EventConsumer {
  constructor(private readonly terminations: InstanceTerminations) {}

  async handle(event: DomainEventMessage, trx: Transaction<any>): Promise<void> {
    if (!isDiscoveryEvent(event) || event.data.resourceType !== 'EC2_INSTANCE') return;
    assertCataloguedVersion(event);
    let observation: InstanceObservation;
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
        // Unchanged, seen again: only the last status check moves.
        await (trx as Transaction<InstanceViews>)
          .withSchema(USER_SUBSCRIPTIONS_SCHEMA)
          .updateTable('instances')
          .set({
            observed_at: event.data.observedAt,
            state: sql`jsonb_set(state, '{observedAt}', to_jsonb(${event.data.observedAt}::text))`,
          })
          .where('account_id', '=', event.data.accountId)
          .where('region', '=', event.data.region)
          .where('instance_id', '=', event.data.resourceId)
          .where('status', '!=', 'TERMINATED')
          .where('observed_at', '<', new Date(event.data.observedAt))
          .execute();
        return;
    }
    const db = (trx as Transaction<InstanceViews>).withSchema(USER_SUBSCRIPTIONS_SCHEMA);
    const { accountId, region, resourceId: instanceId } = event.data;
    const row = await db
      .selectFrom('instances')
      .select('state')
      .where('account_id', '=', accountId)
      .where('region', '=', region)
      .where('instance_id', '=', instanceId)
      .forUpdate()
      .executeTakeFirst();
    const next = observeInstance(row?.state, { accountId, region, instanceId }, observation);
    if (!next || next === row?.state) return;
    const columns = {
      subnet_id: next.subnetId,
      status: next.status,
      observed_at: next.observedAt,
      state: JSON.stringify(next),
    };
    await db
      .insertInto('instances')
      .values({ account_id: accountId, region, instance_id: instanceId, ...columns })
      .onConflict((oc) => oc.columns(['account_id', 'region', 'instance_id']).doUpdateSet(columns))
      .execute();
    if (next.status === 'TERMINATED') await this.terminations.terminated(next);
  }
}
