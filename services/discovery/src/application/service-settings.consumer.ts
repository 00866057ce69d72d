import { Inject, Injectable, Logger } from '@nestjs/common';
import { organizationSettingsOf, type DomainEventMessage } from '@lm/contracts';
import { REGION, type EventConsumer } from '@lm/service-kit';
import type { Transaction } from 'kysely';
import { DISCOVERY_SCHEMA } from '../schema';
import type { ServiceSettingsViews } from './service-settings.views';

const logger = new Logger('ServiceSettings');

/**
 * Follows licensing's ServiceSettingsUpdated (durable consumer 'discovery-service-settings') to
 * keep discovery's view of the settings, inside the transaction that also records the event as
 * processed. An event older than the one already applied (redelivered late) does not overwrite it.
 */
@Injectable()
export class ServiceSettingsConsumer implements EventConsumer {
  constructor(@Inject(REGION) private readonly deploymentRegion: string) {}

  async handle(event: DomainEventMessage, trx: Transaction<any>): Promise<void> {
    const settings = organizationSettingsOf(event, this.deploymentRegion);
    if (!settings) {
      logger.warn(`${event.type} ${event.eventId} names no account; ignored`);
      return;
    }
    const values = {
      organization_id: settings.organizationId,
      enable_cross_accounts_discovery: settings.enableCrossAccountsDiscovery,
      organization_integration: settings.organizationIntegration,
      recorded_at: settings.recordedAt,
    };
    await (trx as Transaction<ServiceSettingsViews>)
      .withSchema(DISCOVERY_SCHEMA)
      .insertInto('service_settings')
      .values({ account_id: settings.accountId, region: settings.region, ...values })
      .onConflict((oc) =>
        oc
          .columns(['account_id', 'region'])
          .doUpdateSet(values)
          .where('service_settings.recorded_at', '<=', new Date(settings.recordedAt)),
      )
      .execute();
  }
}
