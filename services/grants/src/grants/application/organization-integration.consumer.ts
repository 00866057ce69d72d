import { Inject, Injectable, Logger } from '@nestjs/common';
import { organizationSettingsOf, type DomainEventMessage } from '@lm/contracts';
import { REGION, type EventConsumer } from '@lm/service-kit';
import type { Transaction } from 'kysely';
import { GRANTS_SCHEMA } from '../../shared/schema';
import type { OrganizationIntegrationViews } from './organization-integration.views';

const logger = new Logger('OrganizationIntegrations');

/** The durable name of the consumer of licensing's ServiceSettingsUpdated: never rename it. */
export const ORGANIZATION_INTEGRATIONS_CONSUMER = 'grants-organization-integrations';

/**
 * Follows licensing's ServiceSettingsUpdated: keeps whether each account linked its organization,
 * in the transaction that records the event as processed. A late redelivery of an older event
 * does not overwrite a newer one.
 */
@Injectable()
export class OrganizationIntegrationConsumer implements EventConsumer {
  constructor(@Inject(REGION) private readonly deploymentRegion: string) {}

  async handle(event: DomainEventMessage, trx: Transaction<any>): Promise<void> {
    const settings = organizationSettingsOf(event, this.deploymentRegion);
    if (!settings) {
      logger.warn(`${event.type} ${event.eventId} names no account; ignored`);
      return;
    }
    const link = {
      organization_id: settings.organizationId,
      organization_integration: settings.organizationIntegration,
      recorded_at: settings.recordedAt,
    };
    await (trx as Transaction<OrganizationIntegrationViews>)
      .withSchema(GRANTS_SCHEMA)
      .insertInto('organization_integrations')
      .values({ account_id: settings.accountId, region: settings.region, ...link })
      .onConflict((oc) =>
        oc
          .columns(['account_id', 'region'])
          .doUpdateSet(link)
          .where('organization_integrations.recorded_at', '<=', new Date(settings.recordedAt)),
      )
      .execute();
  }
}
