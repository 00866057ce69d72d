import { Inject, Injectable } from '@nestjs/common';
import { handleCommand, type EventStore } from '@lm/event-store';
import { CLOCK, type Clock, DATABASE, EVENT_STORE } from '@lm/service-kit';
import { AwsError } from '@lm/contracts';
import type { Kysely } from 'kysely';
import { licenseDecider, licenseStream } from '../domain/decide';
import { GRANTS_SCHEMA } from '../../shared/schema';
import type { LicenseViews } from './license.views';

const BATCH = 200;

/**
 * Ends the term of the licences whose current version's Validity.End has passed: the licence
 * decider records a subscription (RenewType Weekly or Monthly, AVAILABLE) as LicenseRenewed, with
 * a later end, and any other licence as LicenseExpired, so that it reads and lists as EXPIRED.
 * Use is refused from the end itself (licence access checks the validity) until a renewal moves
 * it. Each licence is decided on its own stream, so a licence another replica expired or renewed
 * meanwhile, or that a new version moved, is refused by the decider and left alone: the
 * optimistic append makes two racing sweeps record one event.
 */
@Injectable()
export class LicenseExpirySweep {
  private readonly db: Kysely<LicenseViews>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DATABASE) db: Kysely<LicenseViews>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.db = db.withSchema(GRANTS_SCHEMA);
  }

  /** One sweep at the clock's time; resolves to how many licences it recorded as expired or renewed. */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    let ended = 0;
    let afterId = '';
    for (;;) {
      const rows = await this.db
        .selectFrom('licenses')
        .select(['license_id', 'license_arn'])
        .where('status', 'in', ['AVAILABLE', 'PENDING_AVAILABLE'])
        .where('valid_until', '<=', now)
        .where('license_id', '>', afterId)
        .orderBy('license_id')
        .limit(BATCH)
        .execute();
      for (const row of rows) ended += await this.endTerm(row.license_id, row.license_arn, now);
      if (rows.length < BATCH) return ended;
      afterId = rows[rows.length - 1].license_id;
    }
  }

  private async endTerm(id: string, arn: string, now: Date): Promise<number> {
    try {
      const { newEvents } = await handleCommand(this.store, licenseStream(id), licenseDecider, {
        type: 'EndLicenseTerm',
        arn,
        now,
      });
      return newEvents.length;
    } catch (error) {
      // The decider's refusal: the licence is no longer due (expired or renewed by another replica, given a new version, deleted).
      if (error instanceof AwsError) return 0;
      throw error;
    }
  }
}
