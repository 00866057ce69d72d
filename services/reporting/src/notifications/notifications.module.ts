import { readFileSync } from 'node:fs';
import { Module } from '@nestjs/common';
import { CONFIG, InvalidSettingError, milliseconds, positiveInteger, setting } from '@lm/service-kit';
import { ACCOUNT_TOPICS } from './application/account-topics';
import { ExpiryNoticesSweep } from './application/expiry-notices.sweep';
import { NotificationDeliverySweep } from './application/notification-delivery.sweep';
import { NotificationOutbox } from './application/notification-outbox';
import { NotificationRetentionSweep } from './application/notification-retention.sweep';
import { NOTIFICATION_SENDER } from './application/notification-sender';
import { NotificationSourcesConsumer } from './application/notification-sources.consumer';
import { ReportFailuresConsumer } from './application/report-failures.consumer';
import { parseSubscriptions, type Subscriptions } from './domain/subscriptions';
import { HttpNotificationSender } from './infra/http-notification-sender';
import { NatsAccountTopics } from './infra/nats-account-topics';
import { NatsLicensingReads } from '../report-generators/infra/nats-licensing-reads';

/** LM_SNS_SUBSCRIPTIONS: a JSON file of topic ARNs to their HTTP(S) subscribers, read and checked once at start. */
const snsSubscriptions = setting('LM_SNS_SUBSCRIPTIONS', (path): Subscriptions => {
  if (!path) return new Map();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InvalidSettingError(
      `LM_SNS_SUBSCRIPTIONS names ${JSON.stringify(path)}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  try {
    return parseSubscriptions(text);
  } catch (error) {
    throw new InvalidSettingError(`LM_SNS_SUBSCRIPTIONS: ${path} ${(error as Error).message}`);
  }
});

/** The notifications sub-context's settings, read with the service's when it starts. */
export const notificationsSettings = {
  snsSubscriptions,
  /** LM_NOTIFICATION_SWEEP_MS: how often due expiry notices are looked for. */
  notificationSweepMs: milliseconds('LM_NOTIFICATION_SWEEP_MS', 60_000),
  /** LM_SNS_DELIVERY_SWEEP_MS: how often due deliveries are sent. */
  snsDeliverySweepMs: milliseconds('LM_SNS_DELIVERY_SWEEP_MS', 1_000),
  /** LM_SNS_DELIVERY_TIMEOUT_MS: how long an endpoint has to answer one delivery. */
  snsDeliveryTimeoutMs: milliseconds('LM_SNS_DELIVERY_TIMEOUT_MS', 15_000),
  /** LM_SNS_MAX_ATTEMPTS, LM_SNS_RETRY_BASE_MS, LM_SNS_RETRY_MAX_MS: attempts in all, the first pause, the longest pause. */
  snsDeliveryPolicy: setting('LM_SNS_MAX_ATTEMPTS', (_raw, env) => ({
    maxAttempts: positiveInteger('LM_SNS_MAX_ATTEMPTS', 50).read(env),
    baseDelayMs: milliseconds('LM_SNS_RETRY_BASE_MS', 1_000).read(env),
    maxDelayMs: milliseconds('LM_SNS_RETRY_MAX_MS', 60_000).read(env),
  })),
  /** LM_SNS_DELIVERED_RETENTION_DAYS: how long a delivered notification stays in the outbox. */
  snsDeliveredRetentionDays: positiveInteger('LM_SNS_DELIVERED_RETENTION_DAYS', 7),
  /** LM_SNS_FAILED_RETENTION_DAYS: how long a failed one stays, counted from its publication. */
  snsFailedRetentionDays: positiveInteger('LM_SNS_FAILED_RETENTION_DAYS', 30),
};

/**
 * Notifications to the SNS topic of an account's service settings (SnsTopicArn): license
 * configurations and licences coming to their expiry, soft limits passed, report runs failed;
 * delivered by HTTP(S) POST to the topic's subscribers (LM_SNS_SUBSCRIPTIONS) from an outbox.
 */
@Module({
  providers: [
    NotificationOutbox,
    NotificationSourcesConsumer,
    ReportFailuresConsumer,
    ExpiryNoticesSweep,
    NotificationDeliverySweep,
    NotificationRetentionSweep,
    NatsLicensingReads,
    { provide: ACCOUNT_TOPICS, useClass: NatsAccountTopics },
    {
      provide: NOTIFICATION_SENDER,
      useFactory: (config: { snsDeliveryTimeoutMs: number }) => new HttpNotificationSender(config.snsDeliveryTimeoutMs),
      inject: [CONFIG],
    },
  ],
  exports: [NotificationOutbox],
})
export class NotificationsModule {}
