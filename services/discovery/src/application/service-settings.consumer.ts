import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DomainEventMessage, ServiceSettingsUpdatedData } from '@lm/contracts';
import { REGION, type EventConsumer } from '@lm/service-kit';
import type { Transaction } from 'kysely';
import { DISCOVERY_SCHEMA } from '../schema';
import type { ServiceSettingsViews } from './service-settings.views';

const logger = new Logger('ServiceSettings');

/**
 * Follows licensing's ServiceSettingsUpdated (durable consumer 'discovery-service-settings') to
 * keep discovery's view of the settings, inside the transaction that also records the event as
 * processed. An event older than the one already applied (redelivered late) does not overwrite it.
 * Settings without a Region are the deployment's.
 */
@Injectable()
export class ServiceSettingsConsumer implements EventConsumer {
  constructor(@Inject(REGION) private readonly deploymentRegion: string) {}

  async handle(event: DomainEventMessage, trx: Transaction<any>): Promise<void> {
    const data = event.data as Partial<ServiceSettingsUpdatedData>;
    if (typeof data.accountId !== 'string') {
      logger.warn(`ServiceSettingsUpdated ${event.eventId} names no account; ignored`);
      return;
    }
    const values = {
      organization_id: data.organizationId ?? null,
      enable_cross_accounts_discovery: data.enableCrossAccountsDiscovery === true,
      organization_integration: data.organizationIntegration === true,
      recorded_at: event.recordedAt,
    };
    await (trx as Transaction<ServiceSettingsViews>)
      .withSchema(DISCOVERY_SCHEMA)
      .insertInto('service_settings')
      .values({ account_id: data.accountId, region: data.region ?? this.deploymentRegion, ...values })
      .onConflict((oc) =>
        oc
          .columns(['account_id', 'region'])
          .doUpdateSet(values)
          .where('service_settings.recorded_at', '<=', new Date(event.recordedAt)),
      )
      .execute();
  }
}
