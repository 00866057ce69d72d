/**
 * Events of the reporting service (lm.events.reporting.*), with the schema version of each type.
 * No other service consumes them yet: their data types stay in the reporting domain until one does.
 */
export const REPORTING_EVENT_VERSIONS = {
  // Report generators
  ReportGeneratorCreated: 1,
  ReportGeneratorUpdated: 1,
  ReportGeneratorDeleted: 1,
  ReportGeneratorTagged: 1,
  ReportGeneratorUntagged: 1,
  ReportRunStarted: 1,
  ReportRunSucceeded: 1,
  ReportRunFailed: 1,
  // Notifications: each attempt to deliver one to a subscriber, with its outcome
  NotificationDeliveryAttempted: 1,
  // Alarms (CloudWatch's metric alarms on the usage metrics)
  AlarmConfigured: 1,
  AlarmDeleted: 1,
  AlarmActionsEnabled: 1,
  AlarmActionsDisabled: 1,
  AlarmStateChanged: 1,
} as const;
