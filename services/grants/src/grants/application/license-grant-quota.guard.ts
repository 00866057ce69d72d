import { defineGuard } from '@lm/event-store';
import { AwsError } from '@lm/contracts';
import { sql } from 'kysely';
import type { GrantEvent } from '../domain/events';
import { GRANTS_SCHEMA } from '../../shared/schema';
import type { GrantViews } from './grant.views';

/**
 * Counts the grants of each licence that are not deleted, and enforces the quota (the guide:
 * 2,000 grants per licence). It runs in the append's transaction: the counter row's lock orders
 * concurrent grants of one licence, and a grant past the quota throws, which rolls its append
 * back. So the quota holds under any load.
 */
export function licenseGrantQuotaGuard(quota: number) {
  return defineGuard<GrantEvent, GrantViews>()({
    name: 'license-grant-quota',
    eventTypes: ['GrantCreated', 'GrantDeleted'],
    async handle(events, trx) {
      const db = trx.withSchema(GRANTS_SCHEMA);
      for (const event of events) {
        const licenseArn =
          event.type === 'GrantCreated'
            ? event.data.grant.LicenseArn
            : (
                await db
                  .selectFrom('grants')
                  .select('license_arn')
                  .where('grant_arn', '=', event.data.grantArn)
                  .executeTakeFirstOrThrow()
              ).license_arn;
        const delta = event.type === 'GrantCreated' ? 1 : -1;
        const row = await db
          .insertInto('license_grant_counts')
          .values({ license_arn: licenseArn, count: delta })
          .onConflict((oc) =>
            oc.column('license_arn').doUpdateSet({ count: sql`license_grant_counts.count + ${delta}` }),
          )
          .returning('count')
          .executeTakeFirstOrThrow();
        if (delta > 0 && row.count > quota) {
          throw new AwsError(
            'ResourceLimitExceededException',
            `A licence can have at most ${quota} grants; ${licenseArn} has reached it.`,
          );
        }
      }
    },
    async truncate(db) {
      await db.withSchema(GRANTS_SCHEMA).deleteFrom('license_grant_counts').execute();
    },
  });
}
