import { defineGuard } from '@lm/event-store';
import { serviceQuotaExceeded } from '@lm/contracts';
import { sql } from 'kysely';
import { USER_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import { INSTANCES_PER_USER, userKeyOf } from '../domain/association';
import type { UserAssociationEvent } from '../domain/events';
import type { UserAssociationViews } from './association.views';

/**
 * The guide's 25 instances per user, in the append's transaction: each user's counter row is
 * locked by its upsert, so concurrent AssociateUser calls for one user take their turns, and one
 * past the quota throws, which rolls its append back. So the quota holds under any load. A request
 * starts a live association (+1); its failure or disassociation ends one (-1): the decider allows
 * no other moves in or out of ASSOCIATING and ASSOCIATED.
 */
export const userAssociationQuotaGuard = defineGuard<UserAssociationEvent, UserAssociationViews>()({
  name: 'user-association-quota',
  eventTypes: ['UserAssociationRequested', 'UserAssociationFailed', 'UserDisassociated'],
  async handle(events, trx) {
    const db = trx.withSchema(USER_SUBSCRIPTIONS_SCHEMA);
    for (const event of events) {
      const delta = event.type === 'UserAssociationRequested' ? 1 : -1;
      const row = await db
        .insertInto('user_instance_counts')
        .values({ user_key: userKeyOf(event.data), count: delta })
        .onConflict((oc) => oc.column('user_key').doUpdateSet({ count: sql`user_instance_counts.count + ${delta}` }))
        .returning('count')
        .executeTakeFirstOrThrow();
      if (delta > 0 && row.count > INSTANCES_PER_USER)
        throw serviceQuotaExceeded(
          `User ${event.data.username} is already associated with ${INSTANCES_PER_USER} instances, the most a user may be: disassociate them from one first.`,
        );
    }
  },
  async truncate(db) {
    await db.withSchema(USER_SUBSCRIPTIONS_SCHEMA).deleteFrom('user_instance_counts').execute();
  },
});
