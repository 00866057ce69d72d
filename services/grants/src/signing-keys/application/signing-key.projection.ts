import { defineProjection, type Recorded } from '@lm/event-store';
import type { Transaction } from 'kysely';
import { SIGNING_KEY_EVENT_TYPES, type SigningKeyEvent } from '../domain/events';
import { isSigningKeyStream, signingKeyIdOfStream } from '../domain/decide';
import { evolveSigningKey, type SigningKeyState } from '../domain/signing-key';
import { GRANTS_SCHEMA } from '../../shared/schema';
import type { SigningKeyViews } from './signing-key.views';

/** The key's state before an event, from its row (a creation is the stream's first event). */
async function stateBefore(
  db: Transaction<SigningKeyViews>,
  keyId: string,
  event: Recorded<SigningKeyEvent>,
): Promise<SigningKeyState | 'already-applied'> {
  if (event.type === 'SigningKeyCreated') return { status: 'absent' };
  const row = await db
    .selectFrom('signing_keys')
    .select(['version', 'document'])
    .where('key_id', '=', keyId)
    .forUpdate()
    .executeTakeFirst();
  if (row && row.version >= event.streamVersion) return 'already-applied';
  return row ? { status: 'present', key: row.document } : { status: 'absent' };
}

/**
 * The signing_keys view, folded with the domain's own evolve and updated in the append's
 * transaction, so that a key is described and usable as soon as CreateKey answers. Rows remember
 * the stream version they reflect, which makes replays harmless.
 */
export const signingKeysProjection = defineProjection<SigningKeyEvent, SigningKeyViews>()({
  name: 'signing-keys',
  eventTypes: SIGNING_KEY_EVENT_TYPES,
  async handle(events, trx) {
    const db = trx.withSchema(GRANTS_SCHEMA);
    for (const event of events) {
      if (!isSigningKeyStream(event.streamName)) continue;
      const keyId = signingKeyIdOfStream(event.streamName);
      const before = await stateBefore(db, keyId, event);
      if (before === 'already-applied') continue;
      const after = evolveSigningKey(before, event);
      if (after.status !== 'present') continue;
      const { key } = after;
      const values = { key_state: key.keyState, version: event.streamVersion, document: JSON.stringify(key) };
      await db
        .insertInto('signing_keys')
        .values({ key_id: keyId, account_id: key.accountId, region: key.region, created_at: key.createdAt, ...values })
        .onConflict((oc) =>
          oc.column('key_id').doUpdateSet(values).where('signing_keys.version', '<', event.streamVersion),
        )
        .execute();
    }
  },
  async truncate(db) {
    await db.withSchema(GRANTS_SCHEMA).deleteFrom('signing_keys').execute();
  },
});
