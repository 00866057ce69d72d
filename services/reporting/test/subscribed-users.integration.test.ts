import type { DomainEventMessage } from '@lm/contracts';
import { ManualClock, openServiceStorageOf, type ServiceStorage } from '@lm/service-kit';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportingService } from '../src/reporting.service';
import { SubscribedUsersConsumer } from '../src/usage-metrics/application/subscribed-users.consumer';
import { UsageMetricsSweep } from '../src/usage-metrics/application/usage-metrics.sweep';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

const ACCOUNT = '222222222222';
const at = (time: string) => new Date(`2026-03-01T${time}Z`);

let eventIds = 0;
/** A product subscription event as the relay publishes it. */
const subscriptionEvent = (username: string, version: number, type: string, time: string): DomainEventMessage => ({
  service: 'user-subscriptions',
  eventId: `event-${++eventIds}`,
  streamName: `product-subscription-${ACCOUNT}-${username}-REMOTE_DESKTOP_SERVICES`,
  streamVersion: version,
  type,
  schemaVersion: 1,
  data: { accountId: ACCOUNT, product: 'REMOTE_DESKTOP_SERVICES', username, at: at(time).toISOString() },
  recordedAt: at(time).toISOString(),
});

/** alice subscribed at 10:10 and bob at 10:40; alice unsubscribed at 12:30 (each after its request). */
const SCENARIO = [
  subscriptionEvent('alice', 1, 'ProductSubscriptionRequested', '10:09:00'),
  subscriptionEvent('alice', 2, 'ProductSubscriptionSucceeded', '10:10:00'),
  subscriptionEvent('bob', 1, 'ProductSubscriptionRequested', '10:39:00'),
  subscriptionEvent('bob', 2, 'ProductSubscriptionSucceeded', '10:40:00'),
  subscriptionEvent('alice', 3, 'ProductUnsubscriptionRequested', '12:29:00'),
  subscriptionEvent('alice', 4, 'ProductUnsubscribed', '12:30:00'),
];

describe('subscribed users per product from user-subscriptions events, with a manual clock', () => {
  let database: TestDatabase;
  let storage: ServiceStorage;
  const clock = new ManualClock(at('10:00:00'));
  const consumer = new SubscribedUsersConsumer();
  let sweep: UsageMetricsSweep;

  const apply = (event: DomainEventMessage) => storage.db.transaction().execute((trx) => consumer.handle(event, trx));
  const points = async () =>
    (
      await sql<{ timestamp: Date; sum: number; source: string }>`
        select timestamp, sum, source from reporting.metric_points
        where account_id = ${ACCOUNT} and metric_name = 'SubscribedUserCount' order by timestamp, source`.execute(
        storage.db,
      )
    ).rows.map((row) => [row.timestamp.toISOString().slice(11, 16), Number(row.sum), row.source.split(':')[0]]);
  const reset = () =>
    sql`truncate reporting.metric_points, reporting.subscribed_user_streams, reporting.subscribed_user_counts`.execute(
      storage.db,
    );

  beforeAll(async () => {
    database = await createTestDatabase('lm_subscribed_users');
    storage = await openServiceStorageOf(ReportingService, { DATABASE_URL: database.url });
    sweep = new UsageMetricsSweep(storage.db, clock);
  });
  afterAll(async () => {
    await storage?.close();
    await database?.drop();
  });

  let original: unknown[];

  it('writes a point at every change and every whole hour the count held, the sweep the hours after the last', async () => {
    for (const event of SCENARIO) await apply(event);
    clock.set(at('14:10:00'));
    await sweep.sweep();
    original = await points();
    expect(original).toEqual([
      ['10:10', 1, 'event'],
      ['10:40', 2, 'event'],
      ['11:00', 2, 'hourly'],
      ['12:00', 2, 'hourly'],
      ['12:30', 1, 'event'],
      ['13:00', 1, 'hourly'],
      ['14:00', 1, 'hourly'],
    ]);
  });

  it('writes the same points when every event comes again, and when they are replayed from the beginning', async () => {
    for (const event of SCENARIO) await apply(event);
    await sweep.sweep();
    expect(await points()).toEqual(original);
    await reset();
    for (const event of SCENARIO) await apply(event);
    await sweep.sweep();
    expect(await points()).toEqual(original);
  });

  it('changes nothing for an older event of a stream that arrives after a later one', async () => {
    await reset();
    await apply(SCENARIO[1]);
    await apply(SCENARIO[5]);
    await apply(SCENARIO[1]);
    const counts = await sql<{ usage: { count: number } }>`select usage from reporting.subscribed_user_counts`.execute(
      storage.db,
    );
    expect(counts.rows.map((row) => row.usage.count)).toEqual([0]);
  });
});
