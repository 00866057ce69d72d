import { Injectable } from '@nestjs/common';
import type { DomainEventMessage } from '@lm/contracts';
import type { EventConsumer } from '@lm/service-kit';
import type { Transaction } from 'kysely';
import {
  subscribedUserSeries,
  subscribedUsersKey,
  subscriptionChangeOf,
  type SubscriptionChange,
} from '../domain/subscribed-users';
import { countStream, type StreamCounting } from './stream-counts';

/** SubscribedUserCount counted over the users' subscription streams (a ProductUserArn's stream each). */
export const SUBSCRIBED_USERS: StreamCounting<Omit<SubscriptionChange, 'subscribed'>> = {
  tables: { streams: 'subscribed_user_streams', counts: 'subscribed_user_counts' },
  seriesKey: subscribedUsersKey,
  seriesOf: async (_trx, user) => subscribedUserSeries(user),
};

/**
 * Follows user-subscriptions' events (durable consumer 'reporting-subscribed-users'): the users of
 * each account subscribed to each product, as the CloudWatch metric SubscribedUserCount (dimension
 * Product) at every change, stamped with the event's recording time, and the hourly points of the
 * hours the previous count held (the usage metrics' sweep writes those of counts that do not change).
 * A user counts from its subscription's success until its unsubscription; each user's stream keeps
 * the version of its last change applied (stream-counts.ts), so a replay writes the same points.
 */
@Injectable()
export class SubscribedUsersConsumer implements EventConsumer {
  async handle(event: DomainEventMessage, trx: Transaction<any>): Promise<void> {
    const change = subscriptionChangeOf(event);
    if (!change) return;
    const { accountId, product, subscribed } = change;
    await countStream(trx, SUBSCRIBED_USERS, event, accountId, subscribed ? { accountId, product } : null);
  }
}
