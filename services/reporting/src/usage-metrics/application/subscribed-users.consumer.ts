import { Injectable } from '@nestjs/common';
import type { DomainEventMessage } from '@lm/contracts';
import type { EventConsumer } from '@lm/service-kit';
import { sql, type Transaction } from 'kysely';
import { REPORTING_SCHEMA } from '../../shared/schema';
import { subscriptionChangeOf, type SubscribedUsers } from '../domain/subscribed-users';
import {
  subscribedUsersKey,
  writeHourlySubscribedUserSamples,
  writeSubscribedUserSample,
} from './subscribed-users-samples';
import type { SubscribedUsersViews } from './subscribed-users.views';
import { deleteHourlySamples } from './usage-samples';
import type { UsageMetricsViews } from './usage-metrics.views';

/**
 * Follows user-subscriptions' events (durable consumer 'reporting-subscribed-users'): the users of
 * each account subscribed to each product, as the CloudWatch metric SubscribedUserCount (dimension
 * Product) at every change, stamped with the event's recording time, and the hourly points of the
 * hours the previous count held (the usage metrics' sweep writes those of counts that do not change).
 *
 * Each user's subscription keeps the version of its last success or unsubscription applied, and
 * the count is read from them: an older or repeated event changes nothing, and a replay of the
 * events from the beginning writes the same points.
 */
@Injectable()
export class SubscribedUsersConsumer implements EventConsumer {
  async handle(event: DomainEventMessage, trx: Transaction<any>): Promise<void> {
    const change = subscriptionChangeOf(event);
    if (!change) return;
    const db = (trx as Transaction<SubscribedUsersViews>).withSchema(REPORTING_SCHEMA);
    const { accountId, product, subscribed } = change;
    const applied = await db
      .insertInto('subscribed_user_streams')
      .values({
        stream_name: event.streamName,
        stream_version: event.streamVersion,
        account_id: accountId,
        product,
        subscribed,
      })
      .onConflict((oc) =>
        oc
          .column('stream_name')
          .doUpdateSet({ stream_version: event.streamVersion, subscribed })
          .where('subscribed_user_streams.stream_version', '<', event.streamVersion),
      )
      .returning('stream_name')
      .executeTakeFirst();
    if (!applied) return;
    const key = subscribedUsersKey(change);
    // The row exists before it is locked, so that changes of one account's product queue on it.
    const empty: SubscribedUsers = { accountId, product, count: 0, deleted: false };
    await db
      .insertInto('subscribed_user_counts')
      .values({ key, usage: JSON.stringify(empty) })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const row = await db
      .selectFrom('subscribed_user_counts')
      .selectAll()
      .where('key', '=', key)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const { count } = await db
      .selectFrom('subscribed_user_streams')
      .select(sql<number>`count(*)::int`.as('count'))
      .where('account_id', '=', accountId)
      .where('product', '=', product)
      .where('subscribed', '=', true)
      .executeTakeFirstOrThrow();
    const points = trx as Transaction<UsageMetricsViews>;
    const at = new Date(event.recordedAt);
    const previous = row.usage;
    const users: SubscribedUsers = { ...empty, count };
    let sampledThrough = row.sampled_through ?? at;
    if (at > sampledThrough) {
      // The previous count held until just before this event.
      const justBefore = new Date(at.getTime() - 1);
      await writeHourlySubscribedUserSamples(points, key, previous, sampledThrough, justBefore);
      sampledThrough = justBefore;
    }
    await writeSubscribedUserSample(points, users, at, `event:${event.eventId}`);
    if (at < sampledThrough) {
      // The sweep sampled hours after this event before it arrived: those hours had this count.
      await deleteHourlySamples(points, key, at);
      await writeHourlySubscribedUserSamples(points, key, users, at, sampledThrough);
    }
    await db
      .updateTable('subscribed_user_counts')
      .set({ usage: JSON.stringify(users), sampled_through: at > sampledThrough ? at : sampledThrough })
      .where('key', '=', key)
      .execute();
  }
}
