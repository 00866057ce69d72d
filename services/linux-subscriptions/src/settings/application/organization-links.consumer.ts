import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DomainEventMessage, ServiceSettingsUpdatedData } from '@lm/contracts';
import { handleCommand, type EventStore } from '@lm/event-store';
import { CLOCK, EVENT_STORE, REGION, type Clock, type EventConsumer } from '@lm/service-kit';
import type { Transaction } from 'kysely';
import { LINUX_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import { discoverySettingsDecider, discoverySettingsStream } from '../domain/decide';
import { DiscoverySteps } from './discovery-steps';
import type { DiscoverySettingsViews } from './discovery-settings.views';

const logger = new Logger('OrganizationLinks');

/** The durable name of the consumer of licensing's ServiceSettingsUpdated: never rename it. */
export const ORGANIZATION_LINKS_CONSUMER = 'linux-subscriptions-organization-links';

/**
 * Follows licensing's ServiceSettingsUpdated: keeps whether each account linked its organization
 * (what lets Linux subscriptions access it), in the transaction that records the event as
 * processed. A late redelivery of an older event does not overwrite a newer one. Settings without
 * a Region are the deployment's. An organization unlinked in this Region can no longer be
 * discovered: the account's organization-wide discovery falls back to the account alone, its
 * Regions saying the guide's "Linux subscriptions can't access the organization".
 */
@Injectable()
export class OrganizationLinksConsumer implements EventConsumer {
  constructor(
    @Inject(REGION) private readonly deploymentRegion: string,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly steps: DiscoverySteps,
  ) {}

  async handle(event: DomainEventMessage, trx: Transaction<any>): Promise<void> {
    const settings = event.data as Partial<ServiceSettingsUpdatedData>;
    if (typeof settings.accountId !== 'string') {
      logger.warn(`ServiceSettingsUpdated ${event.eventId} names no account; ignored`);
      return;
    }
    const region = settings.region ?? this.deploymentRegion;
    const link = {
      organization_id: settings.organizationId ?? null,
      organization_integration: settings.organizationIntegration === true,
      recorded_at: event.recordedAt,
    };
    await (trx as Transaction<DiscoverySettingsViews>)
      .withSchema(LINUX_SUBSCRIPTIONS_SCHEMA)
      .insertInto('organization_links')
      .values({ account_id: settings.accountId, region, ...link })
      .onConflict((oc) =>
        oc
          .columns(['account_id', 'region'])
          .doUpdateSet(link)
          .where('organization_links.recorded_at', '<=', new Date(event.recordedAt)),
      )
      .execute();
    if (!link.organization_integration && region === this.deploymentRegion) await this.unlinked(settings.accountId);
  }

  /** Idempotent: discovery already back to the account alone changes nothing. */
  private async unlinked(accountId: string): Promise<void> {
    const { newEvents } = await handleCommand(
      this.store,
      discoverySettingsStream(accountId),
      discoverySettingsDecider,
      {
        type: 'LoseOrganizationAccess',
        accountId,
        now: this.clock.now(),
      },
    );
    if (newEvents.length > 0) this.steps.soon(accountId);
  }
}
