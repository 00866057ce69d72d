import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DomainEventMessage, LicenseConfigurationEventMessage } from '@lm/contracts';
import { CLOCK, type Clock, type BatchEventConsumer } from '@lm/service-kit';
import type { Insertable, Transaction } from 'kysely';
import { expiringChange, isNotificationSource, NOTIFICATION_SOURCE_TYPES } from '../domain/expiring';
import { softLimitExceeded } from '../domain/messages';
import { REPORTING_SCHEMA } from '../../shared/schema';
import { ACCOUNT_TOPICS, type AccountTopics } from './account-topics';
import { NotificationOutbox } from './notification-outbox';
import type { NotificationViews } from './notification.views';

/**
 * Follows licensing's and grants' events (durable consumers 'reporting-notifications-licensing'
 * and 'reporting-notifications-grants'): keeps what expires and when (a configuration's
 * LicenseExpiry, a licence's Validity.End) for the expiry sweep, and notifies each soft limit
 * passed (LicenseCountExceeded) at once. The chassis applies each event once: the notification is
 * written in the event's transaction, with its ledger row.
 */
@Injectable()
export class NotificationSourcesConsumer implements BatchEventConsumer {
  readonly eventTypes = NOTIFICATION_SOURCE_TYPES;
  private readonly logger = new Logger('NotificationSourcesConsumer');

  constructor(
    @Inject(ACCOUNT_TOPICS) private readonly topics: AccountTopics,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly outbox: NotificationOutbox,
  ) {}

  /**
   * The events of a batch in their order, but the creations that follow each other in one upsert
   * (one statement for a batch of new configurations, not one each): anything else first writes
   * the creations before it, so that every event still finds those before it written.
   */
  async handleBatch(events: DomainEventMessage[], trx: Transaction<any>): Promise<void> {
    const db = (trx as Transaction<NotificationViews>).withSchema(REPORTING_SCHEMA);
    /** By resource: a later creation of the same resource in the batch replaces the earlier. */
    let created = new Map<string, Insertable<NotificationViews['notification_expiries']>>();
    const writeCreated = async () => {
      if (created.size === 0) return;
      await db
        .insertInto('notification_expiries')
        .values([...created.values()])
        .onConflict((oc) =>
          oc.column('resource_arn').doUpdateSet((eb) => ({
            kind: eb.ref('excluded.kind'),
            account_id: eb.ref('excluded.account_id'),
            region: eb.ref('excluded.region'),
            stream_name: eb.ref('excluded.stream_name'),
            name: eb.ref('excluded.name'),
            expires_at: eb.ref('excluded.expires_at'),
          })),
        )
        .execute();
      created = new Map();
    };
    for (const event of events) {
      if (!isNotificationSource(event)) continue;
      const change = event.type === 'LicenseCountExceeded' ? undefined : expiringChange(event);
      if (change?.kind === 'created') {
        const { expiring } = change;
        created.set(expiring.resourceArn, {
          resource_arn: expiring.resourceArn,
          kind: expiring.kind,
          account_id: expiring.accountId,
          region: expiring.region,
          stream_name: event.streamName,
          name: expiring.name,
          expires_at: expiring.expiresAt,
        });
        continue;
      }
      await writeCreated();
      if (event.type === 'LicenseCountExceeded') await this.notifySoftLimit(event, trx);
      else if (change?.kind === 'changed') {
        await db
          .updateTable('notification_expiries')
          .set({
            ...(change.name !== undefined && { name: change.name }),
            ...(change.expiresAt !== undefined && { expires_at: change.expiresAt }),
          })
          .where('stream_name', '=', event.streamName)
          .execute();
      }
    }
    await writeCreated();
  }

  private async notifySoftLimit(
    event: LicenseConfigurationEventMessage<'LicenseCountExceeded'>,
    trx: Transaction<any>,
  ): Promise<void> {
    const configuration = await (trx as Transaction<NotificationViews>)
      .withSchema(REPORTING_SCHEMA)
      .selectFrom('notification_expiries')
      .selectAll()
      .where('stream_name', '=', event.streamName)
      .executeTakeFirst();
    // Created before this consumer existed (its creation is not in the stream it started from).
    if (!configuration) return;
    const owner = { accountId: configuration.account_id, region: configuration.region };
    const topicArn = await this.topics.topicOf(owner);
    if (!topicArn) return;
    const { data } = event;
    const notification = softLimitExceeded(
      { ...owner, topicArn },
      {
        eventId: event.eventId,
        configurationArn: configuration.resource_arn,
        configurationName: configuration.name,
        resourceArn: data.resourceArn,
        licenseCount: data.licenseCount,
        consumedLicenses: data.consumedLicenses,
        at: new Date(data.at),
      },
      this.clock.now(),
    );
    const added = await this.outbox.publish(notification, trx);
    this.logger.log(`${configuration.resource_arn} passed its soft limit: ${added} deliveries to ${topicArn}`);
  }
}
