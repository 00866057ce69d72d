import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DomainEventMessage, ServiceSettingsUpdatedData } from '@lm/contracts';
import { REGION, type EventConsumer } from '@lm/service-kit';
import type { Transaction } from 'kysely';
import { LINUX_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import type { DiscoverySettingsViews } from './discovery-settings.views';

const logger = new Logger('OrganizationLinks');

/** The durable name of the consumer of licensing's ServiceSettingsUpdated: never rename it. */
export const ORGANIZATION_LINKS_CONSUMER = 'linux-subscriptions-organization-links';

/**
 * Follows licensing's ServiceSettingsUpdated: keeps whether each account linked its organization
 * (what lets Linux subscriptions access it), in the transaction that records the event as
 * processed. A late redelivery of an older event does not overwrite a newer one. Settings without
 * a Region are the deployment's.
 */
@Injectable()
export class OrganizationLinksConsumer implements EventConsumer {
  constructor(@Inject(REGION) private readonly deploymentRegion: string) {}

  async handle(event: DomainEventMessage, trx: Transaction<any>): Promise<void> {
    const settings = event.data as Partial<ServiceSettingsUpdatedData>;
    if (typeof settings.accountId !== 'string') {
      logger.warn(`ServiceSettingsUpdated ${event.eventId} names no account; ignored`);
      return;
    }
    const link = {
      organization_id: settings.organizationId ?? null,
      organization_integration: settings.organizationIntegration === true,
      recorded_at: event.recordedAt,
    };
    await (trx as Transaction<DiscoverySettingsViews>)
      .withSchema(LINUX_SUBSCRIPTIONS_SCHEMA)
      .insertInto('organization_links')
      .values({ account_id: settings.accountId, region: settings.region ?? this.deploymentRegion, ...link })
      .onConflict((oc) =>
        oc
          .columns(['account_id', 'region'])
          .doUpdateSet(link)
          .where('organization_links.recorded_at', '<=', new Date(event.recordedAt)),
      )
      .execute();
  }
}
