import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, CONFIG, DATABASE, type Clock, type Sweep } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { REPORTING_SCHEMA } from '../../shared/schema';
import type { NotificationViews } from './notification.views';

/** The retention settings (see notificationsSettings). */
interface RetentionSettings {
  snsDeliveredRetentionDays: number;
  snsFailedRetentionDays: number;
}

const DAY_MS = 24 * 3_600_000;

/**
 * Forgets the outbox's finished deliveries: DELIVERED ones some days after their delivery, FAILED
 * ones (kept longer, for whoever looks into why) some days after they were published, since a
 * failure spends its attempts within hours. PENDING ones are never touched. Each attempt stays in
 * the event store (NotificationDeliveryAttempted), so the history is not lost with the row.
 */
@Injectable()
export class NotificationRetentionSweep implements Sweep {
  private readonly db: Kysely<NotificationViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<NotificationViews>,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CONFIG) private readonly config: RetentionSettings,
  ) {
    this.db = db.withSchema(REPORTING_SCHEMA);
  }

  /** The number of deliveries deleted. */
  async sweep(): Promise<number> {
    const now = this.clock.now().getTime();
    const deliveredBefore = new Date(now - this.config.snsDeliveredRetentionDays * DAY_MS);
    const failedBefore = new Date(now - this.config.snsFailedRetentionDays * DAY_MS);
    const deleted = await this.db
      .deleteFrom('notification_deliveries')
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'DELIVERED'), eb('delivered_at', '<', deliveredBefore)]),
          eb.and([eb('status', '=', 'FAILED'), eb('published_at', '<', failedBefore)]),
        ]),
      )
      .executeTakeFirst();
    return Number(deleted.numDeletedRows);
  }
}

/** How often the sweep runs: hourly is enough for horizons of days. */
export const NOTIFICATION_RETENTION_SWEEP_MS = 3_600_000;
