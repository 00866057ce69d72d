import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DomainEventMessage, InventoryViewer, ServiceSettingsUpdatedData } from '@lm/contracts';
import { DATABASE, REGION, type EventConsumer } from '@lm/service-kit';
import type { Kysely, Transaction } from 'kysely';
import { DISCOVERY_SCHEMA, type DiscoveryDatabase } from '../infra/database/schema';

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
    await (trx as Transaction<DiscoveryDatabase>)
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

/** The accounts whose resources a caller sees, and whether that is the cross-account view. */
export interface InventoryScope {
  accountIds: string[];
  crossAccount: boolean;
}

@Injectable()
export class InventoryScopes {
  private readonly db: Kysely<DiscoveryDatabase>;

  constructor(@Inject(DATABASE) db: Kysely<DiscoveryDatabase>) {
    this.db = db.withSchema(DISCOVERY_SCHEMA);
  }

  /**
   * An account sees its own resources. The management account sees its organization's once it
   * has integrated with the organization and enabled cross-account discovery in the caller's
   * Region (licensing's UpdateServiceSettings).
   */
  async of(caller: InventoryViewer): Promise<InventoryScope> {
    const own: InventoryScope = { accountIds: [caller.accountId], crossAccount: false };
    const organization = caller.organization;
    if (organization?.managementAccountId !== caller.accountId || !organization.memberAccountIds) return own;
    const settings = await this.db
      .selectFrom('service_settings')
      .selectAll()
      .where('account_id', '=', caller.accountId)
      .where('region', '=', caller.region)
      .executeTakeFirst();
    const enabled =
      settings?.enable_cross_accounts_discovery &&
      settings.organization_integration &&
      (settings.organization_id === null || settings.organization_id === organization.id);
    return enabled ? { accountIds: organization.memberAccountIds, crossAccount: true } : own;
  }
}
