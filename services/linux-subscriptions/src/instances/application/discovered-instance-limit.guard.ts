import { defineGuard } from '@lm/event-store';
import { sql } from 'kysely';
import { LINUX_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import type { LinuxInstanceEvent } from '../domain/events';
import type { InstanceViews } from './instance.views';

/** A classification refused because its account and Region already have `limit` discovered instances. */
export class DiscoveredInstanceLimitReached extends Error {
  constructor(
    readonly accountId: string,
    readonly region: string,
    readonly limit: number,
  ) {
    super(`${accountId} has ${limit} discovered instances in ${region}, the most an account may have in a Region.`);
  }
}

/**
 * The guide's "up to 5,000 resources per account per AWS Region", in the append's transaction:
 * the account and Region's counter row is locked by its upsert, so concurrent classifications take
 * their turns and the one past the limit throws, which rolls its append back (the instance stays
 * undiscovered; the Region's status message says so).
 */
export const discoveredInstanceLimitGuard = (limit: number) =>
  defineGuard<LinuxInstanceEvent, InstanceViews>()({
    name: 'discovered-instance-limit',
    eventTypes: ['LinuxInstanceSubscriptionClassified', 'LinuxInstanceGone'],
    async handle(events, trx) {
      const db = trx.withSchema(LINUX_SUBSCRIPTIONS_SCHEMA);
      for (const event of events) {
        const delta = event.type === 'LinuxInstanceSubscriptionClassified' ? 1 : -1;
        const { accountId, region } = event.data;
        const row = await db
          .insertInto('discovered_instance_counts')
          .values({ account_id: accountId, region, count: delta })
          .onConflict((oc) =>
            oc
              .columns(['account_id', 'region'])
              .doUpdateSet({ count: sql`discovered_instance_counts.count + ${delta}` }),
          )
          .returning('count')
          .executeTakeFirstOrThrow();
        if (delta > 0 && row.count > limit) throw new DiscoveredInstanceLimitReached(accountId, region, limit);
      }
    },
    async truncate(db) {
      await db.withSchema(LINUX_SUBSCRIPTIONS_SCHEMA).deleteFrom('discovered_instance_counts').execute();
    },
  });
