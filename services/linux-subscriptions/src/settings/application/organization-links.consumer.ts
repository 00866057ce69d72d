import { Inject, Injectable, Logger } from '@nestjs/common';
import { organizationSettingsOf, type DomainEventMessage } from '@lm/contracts';
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
 * processed. A late redelivery of an older event does not overwrite a newer one. An organization
 * unlinked in this Region can no longer be discovered: the account's organization-wide discovery
 * falls back to the account alone, its Regions saying the guide's "Linux subscriptions can't
 * access the organization".
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
    await (trx as Transaction<DiscoverySettingsViews>)
      .withSchema(LINUX_SUBSCRIPTIONS_SCHEMA)
      .insertInto('organization_links')
      .values({ account_id: settings.accountId, region: settings.region, ...link })
      .onConflict((oc) =>
        oc
          .columns(['account_id', 'region'])
          .doUpdateSet(link)
          .where('organization_links.recorded_at', '<=', new Date(settings.recordedAt)),
      )
      .execute();
    if (!link.organization_integration && settings.region === this.deploymentRegion)
      await this.unlinked(settings.accountId);
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
