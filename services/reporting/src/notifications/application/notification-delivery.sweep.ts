import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EventStore } from '@lm/event-store';
import { CLOCK, CONFIG, DATABASE, EVENT_STORE, type Clock, type Sweep } from '@lm/service-kit';
import { sql, type Kysely } from 'kysely';
import { afterFailedAttempt, isDelivered, type DeliveryPolicy } from '../domain/delivery-policy';
import { deliveryStream, type DeliveryOutcome, type NotificationEvent } from '../domain/events';
import { snsDelivery, subscriptionArnOf } from '../domain/notification';
import { REPORTING_SCHEMA } from '../../shared/schema';
import { NOTIFICATION_SENDER, type NotificationSender } from './notification-sender';
import type { NotificationViews } from './notification.views';

/** The delivery settings (see notificationsSettings). */
interface DeliverySettings {
  snsDeliveryPolicy: DeliveryPolicy;
  snsDeliveryTimeoutMs: number;
}

type Delivery = NotificationViews['notification_deliveries'];

/** Deliveries claimed per sweep: the next sweep takes the rest. */
const BATCH = 20;

/**
 * Sends the due deliveries of the outbox. Each is claimed first (in a transaction, skipping rows
 * another replica holds) until its claim runs out, then POSTed, then marked: DELIVERED on a 2xx,
 * else due again after an exponential backoff, or FAILED once its attempts are spent. A replica
 * that dies after sending and before marking leaves its claim to run out, and the delivery is
 * sent again with the same MessageId: at least once, which receivers dedupe by MessageId. Each
 * attempt is recorded as NotificationDeliveryAttempted (lm.events.reporting.*).
 */
@Injectable()
export class NotificationDeliverySweep implements Sweep {
  private readonly logger = new Logger('NotificationDeliverySweep');
  private readonly db: Kysely<NotificationViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<NotificationViews>,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CONFIG) private readonly config: DeliverySettings,
    @Inject(NOTIFICATION_SENDER) private readonly sender: NotificationSender,
  ) {
    this.db = db.withSchema(REPORTING_SCHEMA);
  }

  /** The number of deliveries attempted. */
  async sweep(): Promise<number> {
    const claimed = await this.claim();
    await Promise.all(claimed.map((delivery) => this.attempt(delivery)));
    return claimed.length;
  }

  private async claim(): Promise<Delivery[]> {
    const now = this.clock.now();
    // The claim outlasts the request's timeout, so that a live sender is never overtaken.
    const claimedUntil = new Date(now.getTime() + 2 * this.config.snsDeliveryTimeoutMs);
    return this.db.transaction().execute(async (trx) => {
      const due = await trx
        .selectFrom('notification_deliveries')
        .select('message_id')
        .where('status', '=', 'PENDING')
        .where('next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
        .orderBy('next_attempt_at')
        .limit(BATCH)
        .forUpdate()
        .skipLocked()
        .execute();
      if (due.length === 0) return [];
      return trx
        .updateTable('notification_deliveries')
        .set({ claimed_until: claimedUntil, attempts: sql`attempts + 1` })
        .where(
          'message_id',
          'in',
          due.map((row) => row.message_id),
        )
        .returningAll()
        .execute();
    });
  }

  private async attempt(delivery: Delivery): Promise<void> {
    const request = snsDelivery(
      {
        messageId: delivery.message_id,
        topicArn: delivery.topic_arn,
        subject: delivery.subject,
        message: delivery.message,
        publishedAt: delivery.published_at,
      },
      subscriptionArnOf(delivery.topic_arn, delivery.endpoint),
    );
    let statusCode: number | undefined;
    let error: string | undefined;
    try {
      statusCode = await this.sender.send(delivery.endpoint, request);
      if (!isDelivered(statusCode)) error = `the endpoint answered HTTP ${statusCode}`;
    } catch (failure) {
      error = (failure as Error).message;
    }
    const now = this.clock.now();
    const next = error ? afterFailedAttempt(this.config.snsDeliveryPolicy, delivery.attempts, now) : undefined;
    const outcome: DeliveryOutcome = !error ? 'DELIVERED' : next?.retry ? 'RETRYING' : 'FAILED';
    const nextAttemptAt = next?.retry ? next.at : undefined;
    await this.db
      .updateTable('notification_deliveries')
      .set({
        status: outcome === 'RETRYING' ? 'PENDING' : outcome,
        claimed_until: null,
        last_error: error ?? null,
        ...(outcome === 'DELIVERED' && { delivered_at: now }),
        ...(nextAttemptAt && { next_attempt_at: nextAttemptAt }),
      })
      .where('message_id', '=', delivery.message_id)
      .execute();
    if (error) this.logger.warn(`notification ${delivery.message_id} to ${delivery.endpoint}: ${error} (${outcome})`);
    const event: NotificationEvent = {
      type: 'NotificationDeliveryAttempted',
      data: {
        messageId: delivery.message_id,
        topicArn: delivery.topic_arn,
        endpoint: delivery.endpoint,
        subject: delivery.subject,
        attempt: delivery.attempts,
        outcome,
        ...(statusCode !== undefined && { statusCode }),
        ...(error !== undefined && { error }),
        ...(nextAttemptAt && { nextAttemptAt: nextAttemptAt.toISOString() }),
        at: now.toISOString(),
      },
    };
    await this.store.append(deliveryStream(delivery.message_id), [event]);
  }
}
