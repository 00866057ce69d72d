import { Injectable } from '@nestjs/common';
import type { DomainEventMessage } from '@lm/contracts';
import type { EventConsumer } from '@lm/service-kit';
import { sql, type Transaction } from 'kysely';
import { REPORTING_SCHEMA } from '../../shared/schema';
import {
  instanceCountingOf,
  runningInstanceSeries,
  runningInstancesKey,
  type RunningInstance,
} from '../domain/running-instances';
import { countStream, type StreamCounting } from './stream-counts';
import type { StreamCountsViews } from './stream-counts.views';

/**
 * Serializes reading organizations (an instance's aggregate) with changing them: an instance event
 * reads its organization under the shared lock, a change of an organization recounts under the
 * exclusive one, so that no instance is counted by an organization that a concurrent change ends.
 */
export async function lockOrganizations(trx: Transaction<any>, mode: 'read' | 'change'): Promise<void> {
  const lock = mode === 'read' ? sql.raw('pg_advisory_xact_lock_shared') : sql.raw('pg_advisory_xact_lock');
  await sql`select ${lock}(hashtext('reporting.linked_organizations'))`.execute(trx);
}

/** RunningInstancesCount and AggregateRunningInstancesCount counted over the instance streams of linux-subscriptions. */
export const RUNNING_INSTANCES: StreamCounting<RunningInstance> = {
  tables: { streams: 'running_instance_streams', counts: 'running_instance_counts' },
  seriesKey: runningInstancesKey,
  async seriesOf(trx, instance) {
    const organization = await trx
      .withSchema(REPORTING_SCHEMA)
      .selectFrom('linked_organizations')
      .select('management_account_id')
      .where(sql<boolean>`account_ids @> ${[instance.accountId]}::text[]`)
      .orderBy('management_account_id')
      .executeTakeFirst();
    return runningInstanceSeries(instance, organization?.management_account_id);
  },
};

/**
 * Follows linux-subscriptions' events (durable consumer 'reporting-running-instances'): the
 * instances running with each commercial Linux subscription, as RunningInstancesCount by
 * SubscriptionName and by SubscriptionName and Region in the instance's account, and
 * AggregateRunningInstancesCount by SubscriptionName in its organization's management account, at
 * every change and every hour (stream-counts.ts: each instance's stream keeps the version of its
 * last description applied, so an older, repeated or replayed event writes nothing new).
 */
@Injectable()
export class RunningInstancesConsumer implements EventConsumer {
  async handle(event: DomainEventMessage, trx: Transaction<any>): Promise<void> {
    const counting = instanceCountingOf(event);
    if (!counting) return;
    await lockOrganizations(trx, 'read');
    await countStream(
      trx as Transaction<StreamCountsViews>,
      RUNNING_INSTANCES,
      event,
      counting.accountId,
      counting.instance,
    );
  }
}
