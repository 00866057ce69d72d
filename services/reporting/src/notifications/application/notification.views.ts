/** The notifications' tables in the reporting schema (infra/migrations/004-notifications.ts). */
export interface NotificationViews {
  notification_expiries: {
    resource_arn: string;
    kind: ExpiringKind;
    account_id: string;
    region: string;
    stream_name: string;
    name: string;
    expires_at: Date | null;
  };
  notification_expiry_notices: {
    resource_arn: string;
    expires_at: Date;
    threshold_days: number;
    noticed_at: Date;
  };
  notification_deliveries: {
    message_id: string;
    source_id: string;
    topic_arn: string;
    endpoint: string;
    subject: string;
    message: string;
    published_at: Date;
    status: 'PENDING' | 'DELIVERED' | 'FAILED';
    attempts: number;
    next_attempt_at: Date;
    claimed_until: Date | null;
    last_error: string | null;
    delivered_at: Date | null;
  };
}

/** What expires: a license configuration (LicenseExpiry) or a seller-issued licence (Validity.End). */
export type ExpiringKind = 'LICENSE_CONFIGURATION' | 'LICENSE';
