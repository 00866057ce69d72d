import type { Kysely, Migration } from 'kysely';

/**
 * Signing keys: the view of their events (public half, state) and, apart from it, the private
 * halves sealed with the master key. signing_key_material is not a view: events never carry
 * private keys, and its rows are never deleted (a key pending deletion is kept, so that the
 * tokens it signed still verify).
 */
export const signingKeys: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('signing_keys')
      .addColumn('key_id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('key_state', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('document', 'jsonb', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('signing_keys_by_account')
      .on('signing_keys')
      .columns(['account_id', 'region', 'created_at', 'key_id'])
      .execute();
    await db.schema
      .createTable('signing_key_material')
      .addColumn('key_id', 'text', (c) => c.primaryKey())
      .addColumn('sealed', 'text', (c) => c.notNull())
      .execute();
  },
};
