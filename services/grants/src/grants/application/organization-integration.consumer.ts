import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DomainEventMessage, ServiceSettingsUpdatedData } from '@lm/contracts';
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
 * does not overwrite a newer one. Settings without a Region are the deployment's.
 */
@Injectable()
export class OrganizationIntegrationConsumer implements EventConsumer {
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
    await (trx as Transaction<OrganizationIntegrationViews>)
      .withSchema(GRANTS_SCHEMA)
      .insertInto('organization_integrations')
      .values({ account_id: settings.accountId, region: settings.region ?? this.deploymentRegion, ...link })
      .onConflict((oc) =>
        oc
          .columns(['account_id', 'region'])
          .doUpdateSet(link)
          .where('organization_integrations.recorded_at', '<=', new Date(event.recordedAt)),
      )
      .execute();
  }
}
