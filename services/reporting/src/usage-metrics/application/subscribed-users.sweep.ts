import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, DATABASE, type Clock, type Sweep } from '@lm/service-kit';
import type { Kysely, Transaction } from 'kysely';
import { REPORTING_SCHEMA } from '../../shared/schema';
import { writeHourlySubscribedUserSamples } from './subscribed-users-samples';
import type { SubscribedUsersViews } from './subscribed-users.views';
import type { UsageMetricsViews } from './usage-metrics.views';

const HOUR_MS = 3_600_000;

/**
 * Every run: the hourly points up to now of each account's subscribed users of a product whose
 * last whole hour is not sampled yet (its count has not changed since, or the consumer would have
 * written them). Each count is locked while sampled, so that the consumer applying a change waits,
 * and checked again once locked. (The usage metrics' sweep rolls these points up with the others.)
 */
@Injectable()
export class SubscribedUsersSweep implements Sweep {
  private readonly db: Kysely<SubscribedUsersViews>;

  constructor(
    @Inject(DATABASE) db: Kysely<SubscribedUsersViews>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.db = db.withSchema(REPORTING_SCHEMA);
  }

  async sweep(): Promise<void> {
    const now = this.clock.now();
    const hour = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
    const due = await this.db
      .selectFrom('subscribed_user_counts')
      .select(['account_id', 'product'])
      .where('sampled_through', '<', hour)
      .execute();
    for (const { account_id: accountId, product } of due) {
      await this.db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('subscribed_user_counts')
          .selectAll()
          .where('account_id', '=', accountId)
          .where('product', '=', product)
          .forUpdate()
          .executeTakeFirst();
        if (!row?.sampled_through || row.sampled_through >= now) return;
        const points = trx as unknown as Transaction<UsageMetricsViews>;
        await writeHourlySubscribedUserSamples(
          points,
          { accountId, product, count: row.count },
          row.sampled_through,
          now,
        );
        await trx
          .updateTable('subscribed_user_counts')
          .set({ sampled_through: now })
          .where('account_id', '=', accountId)
          .where('product', '=', product)
          .execute();
      });
    }
  }
}
