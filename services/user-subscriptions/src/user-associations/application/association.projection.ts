import { defineProjection } from '@lm/event-store';
import { USER_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import { ALREADY_APPLIED, stateBefore } from '../../shared/state-rows';
import { evolveUserAssociation, type UserAssociation } from '../domain/association';
import { USER_ASSOCIATION_EVENT_TYPES, type UserAssociationEvent } from '../domain/events';
import type { UserAssociationViews } from './association.views';

const columnsOf = (association: UserAssociation, streamVersion: number) => ({
  products: JSON.stringify(association.products),
  status: association.status,
  requested_at: association.requestedAt,
  stream_version: streamVersion,
  state: JSON.stringify(association),
});

/**
 * user_associations keeps each user's association with an instance (one row per InstanceUserArn,
 * a new period replacing the last), folded with the decider's own evolve; the stream version
 * guard makes replays harmless.
 */
export const userAssociationsProjection = defineProjection<UserAssociationEvent, UserAssociationViews>()({
  name: 'user-associations',
  eventTypes: USER_ASSOCIATION_EVENT_TYPES,
  async handle(events, trx) {
    const db = trx.withSchema(USER_SUBSCRIPTIONS_SCHEMA);
    for (const event of events) {
      const arn = event.data.arn;
      const before = await stateBefore<UserAssociation>(db, 'user_associations', event);
      if (before === ALREADY_APPLIED) continue;
      const { association } = evolveUserAssociation({ association: before }, event);
      if (!association) continue;
      const columns = columnsOf(association, event.streamVersion);
      if (before) {
        await db.updateTable('user_associations').set(columns).where('arn', '=', arn).execute();
        continue;
      }
      await db
        .insertInto('user_associations')
        .values({
          arn,
          account_id: association.accountId,
          region: association.region,
          instance_id: association.instanceId,
          directory_id: association.directoryId,
          username: association.username,
          domain: association.domain,
          ...columns,
        })
        .execute();
    }
  },
  async truncate(db) {
    await db.withSchema(USER_SUBSCRIPTIONS_SCHEMA).deleteFrom('user_associations').execute();
  },
});
