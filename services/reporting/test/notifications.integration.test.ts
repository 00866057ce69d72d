import { randomUUID } from 'node:crypto';
import type { DomainEventMessage } from '@lm/contracts';
import { ManualClock, openServiceStorageOf, type ServiceStorage } from '@lm/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExpiryNoticesSweep } from '../src/notifications/application/expiry-notices.sweep';
import { NotificationDeliverySweep } from '../src/notifications/application/notification-delivery.sweep';
import { NotificationOutbox } from '../src/notifications/application/notification-outbox';
import type { NotificationSender } from '../src/notifications/application/notification-sender';
import { NotificationSourcesConsumer } from '../src/notifications/application/notification-sources.consumer';
import { deliveryStream, type NotificationEvent } from '../src/notifications/domain/events';
import type { SnsDelivery } from '../src/notifications/domain/notification';
import { notificationsSettings } from '../src/notifications/notifications.module';
import { ReportingService } from '../src/reporting.service';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

const DAY = 24 * 3600_000;
const t0 = new Date('2026-03-01T00:00:00Z');
const OWNER = '111111111111';
const TOPIC = `arn:aws:sns:us-east-1:${OWNER}:aws-license-manager-service-alerts`;
const ENDPOINTS = ['http://receiver-a.test/sns', 'http://receiver-b.test/sns'];
const topics = { topicOf: async () => TOPIC };

/** A sender that answers what `answer` says for each endpoint, and remembers what it sent. */
class ScriptedSender implements NotificationSender {
  readonly sent: { endpoint: string; messageId: string }[] = [];
  answer: (endpoint: string) => number = () => 200;
  async send(endpoint: string, delivery: SnsDelivery): Promise<number> {
    this.sent.push({ endpoint, messageId: delivery.headers['x-amz-sns-message-id'] });
    return this.answer(endpoint);
  }
}

describe('notifications, with a manual clock', () => {
  let database: TestDatabase;
  let storage: ServiceStorage;
  const clock = new ManualClock(t0);
  let outbox: NotificationOutbox;
  let consumer: NotificationSourcesConsumer;
  let version = 0;

  const deliver = (event: Omit<DomainEventMessage, 'eventId' | 'streamVersion' | 'schemaVersion' | 'recordedAt'>) =>
    storage.db.transaction().execute((trx) =>
      consumer.handleBatch(
        [
          {
            ...event,
            eventId: randomUUID(),
            streamVersion: ++version,
            schemaVersion: 1,
            recordedAt: t0.toISOString(),
          },
        ],
        trx,
      ),
    );
  const deliveries = () =>
    storage.db
      .withSchema('reporting')
      .selectFrom('notification_deliveries' as any)
      .selectAll()
      .orderBy('published_at')
      .execute() as Promise<any[]>;

  beforeAll(async () => {
    database = await createTestDatabase('lm_notifications');
    storage = await openServiceStorageOf(ReportingService, { DATABASE_URL: database.url });
    outbox = new NotificationOutbox(storage.db, { snsSubscriptions: new Map([[TOPIC, ENDPOINTS]]) });
    consumer = new NotificationSourcesConsumer(topics, clock, outbox);
  });
  afterAll(async () => {
    await storage?.close();
    await database?.drop();
  });

  it('sends each expiry threshold once, even to replicas sweeping at once', async () => {
    const arn = `arn:aws:license-manager:us-east-1:${OWNER}:license-configuration:lic-expiring`;
    await deliver({
      service: 'licensing',
      streamName: 'license-configuration-expiring',
      type: 'LicenseConfigurationCreated',
      data: {
        arn,
        ownerAccountId: OWNER,
        region: 'us-east-1',
        name: 'Expiring',
        licenseExpiry: (t0.getTime() + 200 * DAY) / 1000,
      },
    });
    const replicas = [0, 1].map(() => new ExpiryNoticesSweep(storage.db, clock, topics, outbox));
    const sweepAll = () => Promise.all(replicas.map((replica) => replica.sweep()));
    const thresholds = async () => (await deliveries()).map((d) => JSON.parse(d.message).detail.thresholdDays);

    expect(await sweepAll()).toEqual([0, 0]);
    clock.set(new Date(t0.getTime() + 81 * DAY));
    expect((await sweepAll()).reduce((a, b) => a + b)).toBe(1);
    await sweepAll();
    expect(await thresholds()).toEqual([120, 120]);
    // 25 days left: the 30-day notice, the 90- and 60-day ones passed over.
    clock.set(new Date(t0.getTime() + 175 * DAY));
    await sweepAll();
    await sweepAll();
    expect(await thresholds()).toEqual([120, 120, 30, 30]);
    clock.set(new Date(t0.getTime() + 200 * DAY));
    await sweepAll();
    expect(await thresholds()).toEqual([120, 120, 30, 30, 0, 0]);
    // A new LicenseExpiry has its own thresholds.
    await deliver({
      service: 'licensing',
      streamName: 'license-configuration-expiring',
      type: 'LicenseConfigurationUpdated',
      data: { changes: { licenseExpiry: (t0.getTime() + 260 * DAY) / 1000 } },
    });
    await sweepAll();
    expect(await thresholds()).toEqual([120, 120, 30, 30, 0, 0, 60, 60]);
  });

  it('keeps, from one batch, every creation and a change made after a creation in the same batch', async () => {
    const event = (streamName: string, type: string, data: object): DomainEventMessage => ({
      service: 'licensing',
      streamName,
      type,
      data,
      eventId: randomUUID(),
      streamVersion: ++version,
      schemaVersion: 1,
      recordedAt: t0.toISOString(),
    });
    const created = (id: string) =>
      event(`license-configuration-${id}`, 'LicenseConfigurationCreated', {
        arn: `arn:aws:license-manager:us-east-1:${OWNER}:license-configuration:${id}`,
        ownerAccountId: OWNER,
        region: 'us-east-1',
        name: `Name ${id}`,
      });
    await storage.db.transaction().execute((trx) =>
      consumer.handleBatch(
        [
          created('lic-batch-a'),
          created('lic-batch-b'),
          event('license-configuration-lic-batch-a', 'LicenseConfigurationUpdated', {
            changes: { name: 'Renamed a' },
          }),
          created('lic-batch-c'),
        ],
        trx,
      ),
    );
    const rows = await storage.db
      .withSchema('reporting')
      .selectFrom('notification_expiries' as any)
      .select(['stream_name', 'name'])
      .where('stream_name', 'like', 'license-configuration-lic-batch-%')
      .orderBy('stream_name')
      .execute();
    expect(rows).toEqual([
      { stream_name: 'license-configuration-lic-batch-a', name: 'Renamed a' },
      { stream_name: 'license-configuration-lic-batch-b', name: 'Name lic-batch-b' },
      { stream_name: 'license-configuration-lic-batch-c', name: 'Name lic-batch-c' },
    ]);
  });

  it('delivers each to every subscriber once, backing off on failures until its attempts are spent', async () => {
    const sender = new ScriptedSender();
    sender.answer = (endpoint) => (endpoint === ENDPOINTS[0] ? 200 : 503);
    const policy = { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 1500 };
    const settings = { snsDeliveryPolicy: policy, snsDeliveryTimeoutMs: 5000 };
    const replicas = [0, 1].map(
      () => new NotificationDeliverySweep(storage.db, storage.store, clock, settings, sender),
    );
    const sweepAll = () => Promise.all(replicas.map((replica) => replica.sweep()));
    const pending = (await deliveries()).length;

    await sweepAll();
    // Every delivery sent once, by one replica or the other.
    expect(sender.sent).toHaveLength(pending);
    expect(new Set(sender.sent.map((s) => s.messageId)).size).toBe(pending);
    const failing = (await deliveries()).filter((d) => d.endpoint === ENDPOINTS[1]);
    expect(failing.every((d) => d.status === 'PENDING' && d.attempts === 1)).toBe(true);

    // Not due again before its backoff.
    await sweepAll();
    expect(sender.sent).toHaveLength(pending);
    clock.advance(1000);
    await sweepAll();
    expect(sender.sent).toHaveLength(pending + failing.length);
    clock.advance(1500);
    await sweepAll();
    clock.advance(60_000);
    await sweepAll();
    expect(sender.sent).toHaveLength(pending + 2 * failing.length);

    const after = await deliveries();
    expect(after.filter((d) => d.endpoint === ENDPOINTS[0]).every((d) => d.status === 'DELIVERED')).toBe(true);
    expect(
      after.filter((d) => d.endpoint === ENDPOINTS[1]).every((d) => d.status === 'FAILED' && d.attempts === 3),
    ).toBe(true);
    const { events } = await storage.store.readStream<NotificationEvent>(deliveryStream(failing[0].message_id));
    expect(events.map((e) => [e.data.attempt, e.data.outcome, e.data.statusCode])).toEqual([
      [1, 'RETRYING', 503],
      [2, 'RETRYING', 503],
      [3, 'FAILED', 503],
    ]);
  });
});

describe('LM_SNS_SUBSCRIPTIONS', () => {
  it('stops start-up naming the variable when the file cannot be read or is not what it must be', () => {
    expect(() =>
      notificationsSettings.snsSubscriptions.read({ LM_SNS_SUBSCRIPTIONS: '/nonexistent/subs.json' }),
    ).toThrow(/LM_SNS_SUBSCRIPTIONS names "\/nonexistent\/subs.json", which cannot be read \(ENOENT\)/);
    expect(() => notificationsSettings.snsSubscriptions.read({ LM_SNS_SUBSCRIPTIONS: __filename })).toThrow(
      /LM_SNS_SUBSCRIPTIONS: .* is not JSON/,
    );
    expect(notificationsSettings.snsSubscriptions.read({}).size).toBe(0);
  });
});
