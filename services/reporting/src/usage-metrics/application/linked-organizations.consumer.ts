import { Inject, Injectable } from '@nestjs/common';
import type { DomainEventMessage } from '@lm/contracts';
import { REGION, type EventConsumer } from '@lm/service-kit';
import type { Transaction } from 'kysely';
import { REPORTING_SCHEMA } from '../../shared/schema';
import { linkedOrganizationOf } from '../domain/running-instances';
import { lockOrganizations, RUNNING_INSTANCES } from './running-instances.consumer';
import { recountStreamsOf } from './stream-counts';
import type { StreamCountsViews } from './stream-counts.views';

/**
 * Follows licensing's ServiceSettingsUpdated (durable consumer 'reporting-linked-organizations'):
 * the organization each management account linked in this Region (its accounts), which
 * AggregateRunningInstancesCount counts for it. When an organization is linked, unlinked or gains
 * or loses accounts, the instances of the accounts concerned are counted again in the aggregates
 * they now belong to, at the settings' recording time. A late redelivery of older settings changes
 * nothing; settings without a Region are the deployment's.
 */
@Injectable()
export class LinkedOrganizationsConsumer implements EventConsumer {
  constructor(@Inject(REGION) private readonly deploymentRegion: string) {}

  async handle(event: DomainEventMessage, trx: Transaction<any>): Promise<void> {
    const organization = linkedOrganizationOf(event);
    if (!organization || (organization.region ?? this.deploymentRegion) !== this.deploymentRegion) return;
    const { managementAccountId, accountIds } = organization;
    await lockOrganizations(trx, 'change');
    const db = (trx as Transaction<StreamCountsViews>).withSchema(REPORTING_SCHEMA);
    const before = await db
      .selectFrom('linked_organizations')
      .select(['account_ids', 'recorded_at'])
      .where('management_account_id', '=', managementAccountId)
      .executeTakeFirst();
    if (before && before.recorded_at > new Date(event.recordedAt)) return;
    await db
      .insertInto('linked_organizations')
      .values({ management_account_id: managementAccountId, account_ids: accountIds, recorded_at: event.recordedAt })
      .onConflict((oc) =>
        oc.column('management_account_id').doUpdateSet({ account_ids: accountIds, recorded_at: event.recordedAt }),
      )
      .execute();
    const concerned = new Set([...(before?.account_ids ?? []), ...accountIds]);
    const unchanged =
      before &&
      before.account_ids.length === accountIds.length &&
      accountIds.every((id) => before.account_ids.includes(id));
    if (!unchanged) await recountStreamsOf(trx, RUNNING_INSTANCES, [...concerned].sort(), event);
  }
}
