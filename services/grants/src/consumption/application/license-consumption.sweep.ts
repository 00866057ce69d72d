import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock, DATABASE } from '@lm/service-kit';
import type { Kysely } from 'kysely';
import { decideExpiry } from '../domain/decide';
import { GRANTS_SCHEMA } from '../../shared/schema';
import type { ConsumptionViews } from './license-consumption.views';
import { LicenseUsageStreams } from './license-usage-streams';

const BATCH = 200;

/**
 * Records the leases whose time ran out as LicenseConsumptionExpired. Their units already came
 * back when the time ran out (the decider does not count them); this puts the end on record
 * and in the view. Each lease is decided on its licence's usage stream, so one checked in or
 * extended meanwhile, or swept by another replica, is left alone.
 */
@Injectable()
export class LicenseConsumptionSweep {
  private readonly db: Kysely<ConsumptionViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<ConsumptionViews>,
    private readonly usage: LicenseUsageStreams,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.db = db.withSchema(GRANTS_SCHEMA);
  }

  /** One sweep at the clock's time; resolves to how many leases it recorded as expired. */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    let expired = 0;
    let after: { expiration: Date; token: string } | undefined;
    for (;;) {
      let query = this.db
        .selectFrom('license_consumptions')
        .select(['consumption_token', 'license_arn', 'expiration'])
        .where('status', '=', 'ACTIVE')
        .where('expiration', '<=', now);
      if (after) {
        const { expiration, token } = after;
        query = query.where((eb) =>
          eb.or([
            eb('expiration', '>', expiration),
            eb.and([eb('expiration', '=', expiration), eb('consumption_token', '>', token)]),
          ]),
        );
      }
      const rows = await query.orderBy('expiration').orderBy('consumption_token').limit(BATCH).execute();
      for (const row of rows) {
        expired += await this.usage.decide(row.license_arn, (state) => {
          const events = decideExpiry({ consumptionToken: row.consumption_token, now }, state);
          return { events, outcome: events.length };
        });
      }
      if (rows.length < BATCH) return expired;
      const last = rows[rows.length - 1];
      after = { expiration: last.expiration, token: last.consumption_token };
    }
  }
}
