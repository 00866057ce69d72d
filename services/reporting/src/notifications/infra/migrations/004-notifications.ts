import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Notifications: what expires and when (from licensing's and grants' events), the expiry notices
 * already sent, and the outbox of deliveries, one row per notification and subscriber.
 */
export const notificationsViews: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('notification_expiries')
      // A license configuration's or a licence's ARN.
      .addColumn('resource_arn', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('stream_name', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      // Null when it does not expire (no LicenseExpiry, no Validity.End) or no longer counts (deleted).
      .addColumn('expires_at', 'timestamptz')
      .execute();
    await db.schema
      .createIndex('notification_expiries_due')
      .on('notification_expiries')
      .column('expires_at')
      .where(sql.ref('expires_at'), 'is not', null)
      .execute();
    await db.schema
      .createTable('notification_expiry_notices')
      .addColumn('resource_arn', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
      .addColumn('threshold_days', 'integer', (c) => c.notNull())
      .addColumn('noticed_at', 'timestamptz', (c) => c.notNull())
      // Each threshold of an expiry once, whichever replica gets there first.
      .addPrimaryKeyConstraint('notification_expiry_notices_pk', ['resource_arn', 'expires_at', 'threshold_days'])
      .execute();
    await db.schema
      .createTable('notification_deliveries')
      .addColumn('message_id', 'text', (c) => c.primaryKey())
      .addColumn('source_id', 'text', (c) => c.notNull())
      .addColumn('topic_arn', 'text', (c) => c.notNull())
      .addColumn('endpoint', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('published_at', 'timestamptz', (c) => c.notNull())
      // PENDING until DELIVERED, or FAILED once its attempts are spent.
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
      // A replica sending it holds it until then; past it, the replica is taken to have died.
      .addColumn('claimed_until', 'timestamptz')
      .addColumn('last_error', 'text')
      .addColumn('delivered_at', 'timestamptz')
      .addUniqueConstraint('notification_deliveries_once', ['source_id', 'endpoint'])
      .execute();
    await db.schema
      .createIndex('notification_deliveries_due')
      .on('notification_deliveries')
      .column('next_attempt_at')
      .where(sql.ref('status'), '=', 'PENDING')
      .execute();
  },
};
