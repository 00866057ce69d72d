import { defineProjection, type Recorded } from '@lm/event-store';
import type { Transaction } from 'kysely';
import { isSecretStream } from '../domain/decide';
import { SECRET_EVENT_TYPES, type SecretEvent } from '../domain/events';
import { evolveSecret, type SecretState } from '../domain/secret';
import { USER_SUBSCRIPTIONS_SCHEMA } from '../../shared/schema';
import type { SecretViews } from './secret.views';

/** The stream's key in the view: its account, Region and name. */
const keyOf = (streamName: string) => {
  const [accountId, region, ...name] = streamName.slice(streamName.indexOf('-') + 1).split(':');
  return { account_id: accountId, region, name: name.join(':') };
};

/** The secret's state before an event, from its row (a creation starts a new secret). */
async function stateBefore(
  db: Transaction<SecretViews>,
  key: ReturnType<typeof keyOf>,
  event: Recorded<SecretEvent>,
): Promise<SecretState | 'already-applied'> {
  const row = await db
    .selectFrom('secrets')
    .select(['version', 'document'])
    .where('account_id', '=', key.account_id)
    .where('region', '=', key.region)
    .where('name', '=', key.name)
    .forUpdate()
    .executeTakeFirst();
  if (row && row.version >= event.streamVersion) return 'already-applied';
  return row && event.type !== 'SecretCreated' ? { status: 'present', secret: row.document } : { status: 'absent' };
}

/**
 * The secrets view, folded with the domain's own evolve in the append's transaction, so that a
 * secret reads as soon as CreateSecret answers. Rows remember the stream version they reflect,
 * which makes replays harmless; a secret deleted for good loses its row, and its name is free.
 */
export const secretsProjection = defineProjection<SecretEvent, SecretViews>()({
  name: 'secrets',
  eventTypes: SECRET_EVENT_TYPES,
  async handle(events, trx) {
    const db = trx.withSchema(USER_SUBSCRIPTIONS_SCHEMA);
    for (const event of events) {
      if (!isSecretStream(event.streamName)) continue;
      const key = keyOf(event.streamName);
      const before = await stateBefore(db, key, event);
      if (before === 'already-applied') continue;
      const after = evolveSecret(before, event);
      const row = db
        .deleteFrom('secrets')
        .where('account_id', '=', key.account_id)
        .where('region', '=', key.region)
        .where('name', '=', key.name);
      if (after.status !== 'present') {
        await row.execute();
        continue;
      }
      const { secret } = after;
      const values = {
        arn: secret.arn,
        created_at: secret.createdAt,
        last_changed_at: secret.lastChangedAt,
        deletion_date: secret.deletionDate ?? null,
        version: event.streamVersion,
        document: JSON.stringify(secret),
      };
      await db
        .insertInto('secrets')
        .values({ ...key, ...values })
        .onConflict((oc) => oc.columns(['account_id', 'region', 'name']).doUpdateSet(values))
        .execute();
    }
  },
  async truncate(db) {
    await db.withSchema(USER_SUBSCRIPTIONS_SCHEMA).deleteFrom('secrets').execute();
  },
});
