import type { Long } from '@lm/contracts';
import { daysLeft, type ExpiryThreshold } from './expiry-thresholds';
import { subjectOf, type Notification, type NotificationMessage } from './notification';

/** Who a notification is about: the account and Region whose settings name the topic. */
export interface NotifiedAccount {
  accountId: string;
  region: string;
}

function message(
  owner: NotifiedAccount,
  detailType: string,
  time: Date,
  resources: string[],
  detail: Record<string, unknown>,
): NotificationMessage {
  return {
    version: '1.0',
    source: 'aws.license-manager',
    'detail-type': detailType,
    account: owner.accountId,
    region: owner.region,
    time: time.toISOString(),
    resources,
    detail,
  };
}

const whenExpiring = (threshold: ExpiryThreshold) => (threshold === 0 ? 'has expired' : `expires in ${threshold} days`);

/** A license configuration's LicenseExpiry is `threshold` days away (or has come). */
export function licenseConfigurationExpiry(
  owner: NotifiedAccount & { topicArn: string },
  configuration: { arn: string; name: string; expiry: Date },
  threshold: ExpiryThreshold,
  now: Date,
): Notification {
  return {
    sourceId: `license-configuration-expiry:${configuration.arn}:${configuration.expiry.toISOString()}:${threshold}`,
    topicArn: owner.topicArn,
    subject: subjectOf(`License configuration ${configuration.name} ${whenExpiring(threshold)}`),
    message: message(owner, 'License Configuration Expiry', now, [configuration.arn], {
      licenseConfigurationArn: configuration.arn,
      licenseConfigurationName: configuration.name,
      licenseExpiry: configuration.expiry.toISOString(),
      thresholdDays: threshold,
      daysLeft: daysLeft(configuration.expiry, now),
    }),
    publishedAt: now,
  };
}

/** A seller-issued licence's Validity.End is `threshold` days away (or has come). */
export function licenseExpiry(
  owner: NotifiedAccount & { topicArn: string },
  license: { arn: string; name: string; expiry: Date },
  threshold: ExpiryThreshold,
  now: Date,
): Notification {
  return {
    sourceId: `license-expiry:${license.arn}:${license.expiry.toISOString()}:${threshold}`,
    topicArn: owner.topicArn,
    subject: subjectOf(`License ${license.name} ${whenExpiring(threshold)}`),
    message: message(owner, 'License Expiry', now, [license.arn], {
      licenseArn: license.arn,
      licenseName: license.name,
      validityEnd: license.expiry.toISOString(),
      thresholdDays: threshold,
      daysLeft: daysLeft(license.expiry, now),
    }),
    publishedAt: now,
  };
}

/** An association took a configuration with a soft limit past its LicenseCount (licensing's LicenseCountExceeded). */
export function softLimitExceeded(
  owner: NotifiedAccount & { topicArn: string },
  exceeded: {
    eventId: string;
    configurationArn: string;
    configurationName: string;
    resourceArn: string;
    /** Exact (digit for digit in the message). */
    licenseCount: Long;
    consumedLicenses: number;
    at: Date;
  },
  now: Date,
): Notification {
  return {
    sourceId: `license-count-exceeded:${exceeded.eventId}`,
    topicArn: owner.topicArn,
    subject: subjectOf(`License configuration ${exceeded.configurationName} exceeded its license count`),
    message: message(owner, 'License Count Exceeded', exceeded.at, [exceeded.configurationArn, exceeded.resourceArn], {
      licenseConfigurationArn: exceeded.configurationArn,
      licenseConfigurationName: exceeded.configurationName,
      resourceArn: exceeded.resourceArn,
      licenseCount: exceeded.licenseCount,
      consumedLicenses: exceeded.consumedLicenses,
      licenseCountHardLimit: false,
    }),
    publishedAt: now,
  };
}

/** A report generator's run failed (its ReportRunFailed). */
export function reportRunFailed(
  owner: NotifiedAccount & { topicArn: string },
  failure: {
    eventId: string;
    reportGeneratorArn: string;
    reportGeneratorName: string;
    runId: string;
    reason: string;
    failedAt: Date;
    nextRunAt: string;
  },
  now: Date,
): Notification {
  return {
    sourceId: `report-run-failed:${failure.eventId}`,
    topicArn: owner.topicArn,
    subject: subjectOf(`Report generator ${failure.reportGeneratorName} failed to write its reports`),
    message: message(owner, 'Report Generation Failed', failure.failedAt, [failure.reportGeneratorArn], {
      reportGeneratorArn: failure.reportGeneratorArn,
      reportGeneratorName: failure.reportGeneratorName,
      runId: failure.runId,
      reason: failure.reason,
      nextRunAt: failure.nextRunAt,
    }),
    publishedAt: now,
  };
}
