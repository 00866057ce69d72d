import { Inject, Injectable } from '@nestjs/common';
import { AUDIT_RETENTION_DAYS } from '@lm/contracts';
import { CLOCK, DATABASE, type Clock, type Sweep } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { REPORTING_SCHEMA } from '../../shared/schema';
import type { AuditTrailViews } from './audit-trail.views';

const DAY_MS = 24 * 3_600_000;

/** Forgets events older than CloudTrail's event history keeps them (90 days). */
@Injectable()
export class AuditRetentionSweep implements Sweep {
  private readonly db: Kysely<AuditTrailViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<AuditTrailViews>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.db = db.withSchema(REPORTING_SCHEMA);
  }

  /** The number of events deleted. */
  async sweep(): Promise<number> {
    const horizon = new Date(this.clock.now().getTime() - AUDIT_RETENTION_DAYS * DAY_MS);
    const deleted = await this.db.deleteFrom('audit_events').where('event_time', '<', horizon).executeTakeFirst();
    return Number(deleted.numDeletedRows);
  }
}

/** How often the sweep runs: hourly is enough for a 90-day horizon. */
export const AUDIT_RETENTION_SWEEP_MS = 3_600_000;
