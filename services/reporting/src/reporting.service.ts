import { eventSubject } from '@lm/messaging';
import { defineService } from '@lm/service-kit';
import { AlarmActionsConsumer } from './alarms/application/alarm-actions.consumer';
import { AlarmEvaluationSweep } from './alarms/application/alarm-evaluation.sweep';
import { alarmQuotaGuard } from './alarms/application/alarm-quota.guard';
import { alarmsProjection } from './alarms/application/alarm.projection';
import { AlarmsModule, alarmsSettings } from './alarms/alarms.module';
import { AUDIT_RETENTION_SWEEP_MS, AuditRetentionSweep } from './audit-trail/application/audit-retention.sweep';
import { AuditTrailModule } from './audit-trail/audit-trail.module';
import { ExpiryNoticesSweep } from './notifications/application/expiry-notices.sweep';
import { NotificationDeliverySweep } from './notifications/application/notification-delivery.sweep';
import {
  NOTIFICATION_RETENTION_SWEEP_MS,
  NotificationRetentionSweep,
} from './notifications/application/notification-retention.sweep';
import { NotificationSourcesConsumer } from './notifications/application/notification-sources.consumer';
import { ReportFailuresConsumer } from './notifications/application/report-failures.consumer';
import { NotificationsModule, notificationsSettings } from './notifications/notifications.module';
import { reportGeneratorQuotaGuard } from './report-generators/application/report-generator-quota.guard';
import { reportGeneratorsProjection } from './report-generators/application/report-generator.projection';
import { ReportGeneratorSweep } from './report-generators/application/report-generator.sweep';
import { ReportGeneratorsModule, reportGeneratorsSettings } from './report-generators/report-generators.module';
import { reportingMigrations } from './reporting.migrations';
import { REPORTING_SCHEMA } from './shared/schema';
import { AssetGroupUsageConsumer } from './usage-metrics/application/asset-group-usage.consumer';
import { EntitlementUsageConsumer } from './usage-metrics/application/entitlement-usage.consumer';
import { RunningInstancesConsumer } from './usage-metrics/application/running-instances.consumer';
import { SubscribedUsersConsumer } from './usage-metrics/application/subscribed-users.consumer';
import { UsageMetricsConsumer } from './usage-metrics/application/usage-metrics.consumer';
import { UsageMetricsSweep } from './usage-metrics/application/usage-metrics.sweep';
import { USAGE_METRICS_SWEEP_MS, UsageMetricsModule } from './usage-metrics/usage-metrics.module';

/**
 * The reporting service: the numbers, reports and notices a licence administrator watches, in five
 * slices. Report generators write CSV usage reports to the settings' S3 bucket on a schedule; usage
 * metrics project licensing's, grants', user-subscriptions' and linux-subscriptions' events into CloudWatch data points; alarms evaluate them;
 * notifications deliver SNS-style messages (expiries, soft limits, failed reports, alarm changes);
 * the audit trail keeps the gateway's CloudTrail records. Its events go out on lm.events.reporting.*.
 */
export const ReportingService = defineService({
  name: 'reporting',
  schema: REPORTING_SCHEMA,
  migrations: reportingMigrations,
  config: { ...reportGeneratorsSettings, ...notificationsSettings, ...alarmsSettings },
  projections: [reportGeneratorsProjection, alarmsProjection],
  guards: (config) => [reportGeneratorQuotaGuard(config.reportGeneratorQuota), alarmQuotaGuard(config.alarmQuota)],
  consumers: [
    // One delivery and one transaction of each licensing event for both views (each was a consumer of its own).
    {
      durableName: 'reporting-licensing-events',
      subject: eventSubject('licensing', '>'),
      handlers: {
        'reporting-usage-metrics': UsageMetricsConsumer,
        'reporting-notifications-licensing': NotificationSourcesConsumer,
      },
    },
    {
      durableName: 'reporting-asset-group-usage',
      subject: eventSubject('licensing', 'LicenseAssetGroupUsageAnalysed'),
      handler: AssetGroupUsageConsumer,
    },
    // Likewise for grants' events: each checkout and check-in was delivered to both.
    {
      durableName: 'reporting-grants-events',
      subject: eventSubject('grants', '>'),
      handlers: {
        'reporting-entitlement-usage': EntitlementUsageConsumer,
        'reporting-notifications-grants': NotificationSourcesConsumer,
      },
    },
    {
      durableName: 'reporting-subscribed-users',
      subject: eventSubject('user-subscriptions', '>'),
      handler: SubscribedUsersConsumer,
    },
    {
      durableName: 'reporting-running-instances',
      subject: eventSubject('linux-subscriptions', '>'),
      handler: RunningInstancesConsumer,
    },
    {
      durableName: 'reporting-notifications-reports',
      subject: eventSubject('reporting', 'ReportRunFailed'),
      handler: ReportFailuresConsumer,
    },
    {
      durableName: 'reporting-alarm-actions',
      subject: eventSubject('reporting', 'AlarmStateChanged'),
      handler: AlarmActionsConsumer,
    },
  ],
  schedules: [
    { task: ReportGeneratorSweep, intervalMs: (config) => config.reportSweepMs },
    { task: UsageMetricsSweep, intervalMs: () => USAGE_METRICS_SWEEP_MS },
    { task: AuditRetentionSweep, intervalMs: () => AUDIT_RETENTION_SWEEP_MS },
    { task: ExpiryNoticesSweep, intervalMs: (config) => config.notificationSweepMs },
    { task: NotificationDeliverySweep, intervalMs: (config) => config.snsDeliverySweepMs },
    { task: NotificationRetentionSweep, intervalMs: () => NOTIFICATION_RETENTION_SWEEP_MS },
    { task: AlarmEvaluationSweep, intervalMs: (config) => config.alarmEvaluationMs },
  ],
  imports: [ReportGeneratorsModule, UsageMetricsModule, AuditTrailModule, NotificationsModule, AlarmsModule],
});
