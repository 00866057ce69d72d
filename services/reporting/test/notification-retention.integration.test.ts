import { ManualClock, openServiceStorageOf, type Environment, type ServiceStorage } from '@lm/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationRetentionSweep } from '../src/notifications/application/notification-retention.sweep';
import type { NotificationViews } from '../src/notifications/application/notification.views';
import { notificationsSettings } from '../src/notifications/notifications.module';
import { ReportingService } from '../src/reporting.service';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

const DAY = 24 * 3600_000;
const MINUTE = 60_000;
const now = new Date('2026-06-01T00:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const retention = (env: Environment) => ({
  snsDeliveredRetentionDays: notificationsSettings.snsDeliveredRetentionDays.read(env),
  snsFailedRetentionDays: notificationsSettings.snsFailedRetentionDays.read(env),
});

describe('the notifications outbox retention, with a manual clock', () => {
  let database: TestDatabase;
  let storage: ServiceStorage;

  const insert = (
    messageId: string,
    status: 'PENDING' | 'DELIVERED' | 'FAILED',
    publishedAt: Date,
    deliveredAt: Date | null = null,
  ) =>
    storage.db
      .withSchema('reporting')
      .insertInto('notification_deliveries' as keyof NotificationViews)
      .values({
        message_id: messageId,
        source_id: messageId,
        topic_arn: 'arn:aws:sns:us-east-1:111111111111:alerts',
        endpoint: 'http://receiver.test/sns',
        subject: 's',
        message: 'm',
        published_at: publishedAt,
        status,
        attempts: status === 'PENDING' ? 0 : 1,
        next_attempt_at: publishedAt,
        delivered_at: deliveredAt,
      })
      .execute();
  const remaining = async () =>
    (
      await storage.db
        .withSchema('reporting')
        .selectFrom('notification_deliveries' as keyof NotificationViews)
        .select('message_id')
        .orderBy('message_id')
        .execute()
    ).map((row) => row.message_id);

  beforeAll(async () => {
    database = await createTestDatabase('lm_notification_retention');
    storage = await openServiceStorageOf(ReportingService, { DATABASE_URL: database.url });
  });
  afterAll(async () => {
    await storage?.close();
    await database?.drop();
  });

  it('forgets delivered rows after 7 days and failed ones 30 days after publication, never pending ones', async () => {
    const settings = retention({});
    expect([settings.snsDeliveredRetentionDays, settings.snsFailedRetentionDays]).toEqual([7, 30]);
    // Published long before its delivery: the delivery's time is what counts.
    await insert('delivered-old', 'DELIVERED', ago(40 * DAY), ago(7 * DAY + MINUTE));
    await insert('delivered-recent', 'DELIVERED', ago(40 * DAY), ago(7 * DAY - MINUTE));
    await insert('failed-old', 'FAILED', ago(30 * DAY + MINUTE));
    await insert('failed-recent', 'FAILED', ago(30 * DAY - MINUTE));
    await insert('pending-old', 'PENDING', ago(90 * DAY));
    const clock = new ManualClock(now);
    const sweep = new NotificationRetentionSweep(storage.db, clock, settings);

    expect(await sweep.sweep()).toBe(2);
    expect(await remaining()).toEqual(['delivered-recent', 'failed-recent', 'pending-old']);

    clock.advance(2 * MINUTE);
    expect(await sweep.sweep()).toBe(2);
    expect(await remaining()).toEqual(['pending-old']);
  });

  it('reads other horizons from LM_SNS_DELIVERED_RETENTION_DAYS and LM_SNS_FAILED_RETENTION_DAYS', () => {
    const settings = retention({ LM_SNS_DELIVERED_RETENTION_DAYS: '1', LM_SNS_FAILED_RETENTION_DAYS: '90' });
    expect([settings.snsDeliveredRetentionDays, settings.snsFailedRetentionDays]).toEqual([1, 90]);
    expect(() => retention({ LM_SNS_DELIVERED_RETENTION_DAYS: '0' })).toThrow(/LM_SNS_DELIVERED_RETENTION_DAYS/);
  });
});
