import { Injectable } from '@nestjs/common';
import type { DomainEventMessage } from '@lm/contracts';
import type { EventConsumer } from '@lm/service-kit';
import { sql, type Transaction } from 'kysely';
import { REPORTING_SCHEMA } from '../../shared/schema';
import {
  discoveredOrganizationOf,
  instanceCountingOf,
  runningInstanceSeries,
  runningInstancesKey,
  type DiscoveredOrganization,
  type RunningInstance,
} from '../domain/running-instances';
import { seriesToRecount } from '../domain/stream-counts';
import { countStream, recountStreamsOf, type StreamCounting } from './stream-counts';
import type { StreamCountsViews } from './stream-counts.views';

/** RunningInstancesCount and AggregateRunningInstancesCount counted over the instance streams of linux-subscriptions. */
export const RUNNING_INSTANCES: StreamCounting<RunningInstance> = {
  tables: { streams: 'running_instance_streams', counts: 'running_instance_counts' },
  seriesKey: runningInstancesKey,
  async seriesOf(trx, instance) {
    const organization = await trx
      .withSchema(REPORTING_SCHEMA)
      .selectFrom('discovered_organizations')
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
 * AggregateRunningInstancesCount by SubscriptionName in the management account whose discovery
 * covers its organization, at every change and every hour (stream-counts.ts: each instance's
 * stream keeps the version of its last description applied, so an older, repeated or replayed
 * event writes nothing new). The settings come on the same subject, so they are applied in the
 * order linux-subscriptions published them with the instances: when the organization a
 * management account discovers changes (integration on or off, accounts joining or leaving), the
 * instances of the accounts concerned are counted again in the aggregates they now belong to.
 */
@Injectable()
export class RunningInstancesConsumer implements EventConsumer {
  async handle(event: DomainEventMessage, trx: Transaction<any>): Promise<void> {
    const organization = discoveredOrganizationOf(event);
    if (organization) return this.organizationDiscovered(event, organization, trx);
    const counting = instanceCountingOf(event);
    if (!counting) return;
    await countStream(trx, RUNNING_INSTANCES, event, counting.accountId, counting.instance);
  }

  private async organizationDiscovered(
    event: DomainEventMessage,
    { managementAccountId, accountIds }: DiscoveredOrganization,
    trx: Transaction<any>,
  ): Promise<void> {
    const db = (trx as Transaction<StreamCountsViews>).withSchema(REPORTING_SCHEMA);
    // The row exists before it is locked, so that two settings of one account applied at once queue on it.
    await db
      .insertInto('discovered_organizations')
      .values({ management_account_id: managementAccountId, account_ids: [], settings_version: 0 })
      .onConflict((oc) => oc.column('management_account_id').doNothing())
      .execute();
    const before = await db
      .selectFrom('discovered_organizations')
      .select(['account_ids', 'settings_version'])
      .where('management_account_id', '=', managementAccountId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (before.settings_version >= event.streamVersion) return;
    await db
      .updateTable('discovered_organizations')
      .set({ account_ids: accountIds, settings_version: event.streamVersion })
      .where('management_account_id', '=', managementAccountId)
      .execute();
    const concerned = [...new Set([...before.account_ids, ...accountIds])].sort();
    if (seriesToRecount(before.account_ids, accountIds).length > 0)
      await recountStreamsOf(trx, RUNNING_INSTANCES, concerned, event);
  }
}
