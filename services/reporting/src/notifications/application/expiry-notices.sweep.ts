import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, DATABASE, type Clock, type Sweep } from '@lm/service-kit';
import { sql, type Kysely } from 'kysely';
import { dueExpiryThreshold, EXPIRY_THRESHOLD_DAYS } from '../domain/expiry-thresholds';
import { licenseConfigurationExpiry, licenseExpiry } from '../domain/messages';
import { REPORTING_SCHEMA } from '../../shared/schema';
import { ACCOUNT_TOPICS, type AccountTopics } from './account-topics';
import { NotificationOutbox } from './notification-outbox';
import type { NotificationViews } from './notification.views';

const DAY_MS = 24 * 60 * 60 * 1000;
const FIRST_NOTICE_MS = Math.max(...EXPIRY_THRESHOLD_DAYS) * DAY_MS;

/** The thresholds already noticed of the row `e`'s current expiry. */
const NOTIFIED_THRESHOLDS = sql<number[]>`coalesce((
  select array_agg(n.threshold_days) from ${sql.table(`${REPORTING_SCHEMA}.notification_expiry_notices`)} n
  where n.resource_arn = e.resource_arn and n.expires_at = e.expires_at), '{}')`;

/** Expiries looked at per sweep: the next sweep takes the rest. */
const BATCH = 100;

/**
 * Sends the expiry notices that are due: 120, 90, 60 and 30 days before a license configuration's
 * LicenseExpiry or a licence's Validity.End, and when it comes. Each threshold of an expiry is
 * recorded (notification_expiry_notices) in the transaction that publishes its notice, so it is
 * sent once, whichever replica sweeps and however often the service restarts; a new expiry has
 * its own thresholds.
 */
@Injectable()
export class ExpiryNoticesSweep implements Sweep {
  private readonly logger = new Logger('ExpiryNoticesSweep');
  private readonly db: Kysely<NotificationViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<NotificationViews>,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ACCOUNT_TOPICS) private readonly topics: AccountTopics,
    private readonly outbox: NotificationOutbox,
  ) {
    this.db = db.withSchema(REPORTING_SCHEMA);
  }

  /** The number of notices published. */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    const candidates = await this.db
      .selectFrom('notification_expiries as e')
      .selectAll('e')
      .select(NOTIFIED_THRESHOLDS.as('notified'))
      .where('e.expires_at', 'is not', null)
      .where('e.expires_at', '<=', new Date(now.getTime() + FIRST_NOTICE_MS))
      // Past its last notice: nothing more to say about it.
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('notification_expiry_notices as n')
              .select('n.threshold_days')
              .whereRef('n.resource_arn', '=', 'e.resource_arn')
              .whereRef('n.expires_at', '=', 'e.expires_at')
              .where('n.threshold_days', '=', 0),
          ),
        ),
      )
      .orderBy('e.expires_at')
      .limit(BATCH)
      .execute();
    let published = 0;
    for (const expiring of candidates) {
      const due = dueExpiryThreshold(expiring.expires_at!, now, expiring.notified);
      if (!due) continue;
      try {
        if (await this.notice(expiring, expiring.expires_at!, due.threshold, due.passedOver, now)) published++;
      } catch (error) {
        // Licensing not answering for the topic: the notice stays due for the next sweep.
        this.logger.warn(`expiry notice of ${expiring.resource_arn} not sent yet: ${(error as Error).message}`);
      }
    }
    return published;
  }

  private async notice(
    expiring: NotificationViews['notification_expiries'],
    expiresAt: Date,
    threshold: (typeof EXPIRY_THRESHOLD_DAYS)[number],
    passedOver: readonly number[],
    now: Date,
  ): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const recorded = await trx
        .insertInto('notification_expiry_notices')
        .values(
          [threshold, ...passedOver].map((days) => ({
            resource_arn: expiring.resource_arn,
            expires_at: expiresAt,
            threshold_days: days,
            noticed_at: now,
          })),
        )
        .onConflict((oc) => oc.doNothing())
        .returning('threshold_days')
        .execute();
      // Another replica recorded this threshold first: its notice is its own.
      if (!recorded.some((row) => row.threshold_days === threshold)) return false;
      const owner = { accountId: expiring.account_id, region: expiring.region };
      const topicArn = await this.topics.topicOf(owner);
      if (!topicArn) return false;
      const subject = { arn: expiring.resource_arn, name: expiring.name, expiry: expiresAt };
      const notification =
        expiring.kind === 'LICENSE_CONFIGURATION'
          ? licenseConfigurationExpiry({ ...owner, topicArn }, subject, threshold, now)
          : licenseExpiry({ ...owner, topicArn }, subject, threshold, now);
      await this.outbox.publish(notification, trx);
      return true;
    });
  }
}
