import { Inject, Injectable, Logger } from '@nestjs/common';
import { CONFIG, DATABASE } from '@lm/service-kit';
import type { Kysely, Transaction } from 'kysely';
import { deliveryMessageId, type Notification } from '../domain/notification';
import type { Subscriptions } from '../domain/subscriptions';
import { REPORTING_SCHEMA } from '../../shared/schema';
import type { NotificationViews } from './notification.views';
import { stringifyExactJson } from '@lm/contracts';

/** The settings the outbox reads (see notificationsSettings). */
interface OutboxSettings {
  snsSubscriptions: Subscriptions;
}

/**
 * Publishes a notification to its topic: one delivery row per subscriber of the topic
 * (LM_SNS_SUBSCRIPTIONS), which the delivery sweep sends. Publishing the same notification again
 * (same sourceId) adds nothing. This is what other sub-contexts call to notify (alarms, later).
 */
@Injectable()
export class NotificationOutbox {
  private readonly logger = new Logger('NotificationOutbox');

  constructor(
    @Inject(DATABASE) private readonly db: Kysely<NotificationViews>,
    @Inject(CONFIG) private readonly settings: OutboxSettings,
  ) {}

  /**
   * The number of deliveries it added. Given `trx` (a consumer's or a sweep's), the deliveries are
   * written with whatever caused them, or not at all.
   */
  async publish(notification: Notification, trx?: Transaction<any>): Promise<number> {
    const endpoints = this.settings.snsSubscriptions.get(notification.topicArn) ?? [];
    if (endpoints.length === 0) {
      this.logger.warn(
        `notification "${notification.subject}" to ${notification.topicArn} has no subscriber (LM_SNS_SUBSCRIPTIONS)`,
      );
      return 0;
    }
    const db = ((trx as Transaction<NotificationViews> | undefined) ?? this.db).withSchema(REPORTING_SCHEMA);
    const message = stringifyExactJson(notification.message);
    const added = await db
      .insertInto('notification_deliveries')
      .values(
        endpoints.map((endpoint) => ({
          message_id: deliveryMessageId(notification.sourceId, endpoint),
          source_id: notification.sourceId,
          topic_arn: notification.topicArn,
          endpoint,
          subject: notification.subject,
          message,
          published_at: notification.publishedAt,
          status: 'PENDING' as const,
          attempts: 0,
          next_attempt_at: notification.publishedAt,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .returning('message_id')
      .execute();
    return added.length;
  }
}
