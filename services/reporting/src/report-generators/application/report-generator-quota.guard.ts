import { defineGuard } from '@lm/event-store';
import { resourceLimitExceeded } from '@lm/contracts';
import { sql } from 'kysely';
import type { ReportGeneratorEvent } from '../domain/events';
import { REPORTING_SCHEMA } from '../../shared/schema';
import type { ReportGeneratorViews } from './report-generator.views';

/**
 * Counts live generators per account and Region and enforces the quota, in the append's
 * transaction: the counter row's lock orders concurrent creates of one account, and a create past
 * the quota throws, which rolls its append back. So the quota holds under any load.
 */
export function reportGeneratorQuotaGuard(quota: number) {
  return defineGuard<ReportGeneratorEvent, ReportGeneratorViews>()({
    name: 'report-generator-quota',
    eventTypes: ['ReportGeneratorCreated', 'ReportGeneratorDeleted'],
    async handle(events, trx) {
      const db = trx.withSchema(REPORTING_SCHEMA);
      for (const event of events) {
        if (event.type !== 'ReportGeneratorCreated' && event.type !== 'ReportGeneratorDeleted') continue;
        const { accountId, region } = event.data;
        const delta = event.type === 'ReportGeneratorCreated' ? 1 : -1;
        const row = await db
          .insertInto('report_generator_counts')
          .values({ account_id: accountId, region, count: delta })
          .onConflict((oc) =>
            oc.columns(['account_id', 'region']).doUpdateSet({ count: sql`report_generator_counts.count + ${delta}` }),
          )
          .returning('count')
          .executeTakeFirstOrThrow();
        if (delta > 0 && row.count > quota)
          throw resourceLimitExceeded(`An account can have at most ${quota} report generators in a Region.`);
      }
    },
    async truncate(db) {
      await db.withSchema(REPORTING_SCHEMA).deleteFrom('report_generator_counts').execute();
    },
  });
}
