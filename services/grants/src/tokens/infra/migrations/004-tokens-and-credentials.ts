import type { Kysely, Migration } from 'kysely';

/**
 * Refresh tokens (a view of their events, holding each token's hash, never its text) and the
 * temporary credentials issued from them. temporary_credentials is not a view: it is where the
 * credentials' secret and session token are kept, sealed with the master key, and events never
 * carry them.
 */
export const tokensAndCredentials: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('refresh_tokens')
      .addColumn('token_id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('license_arn', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
      .addColumn('token_sha256', 'text', (c) => c.notNull())
      .addColumn('document', 'jsonb', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('refresh_tokens_by_account')
      .on('refresh_tokens')
      .columns(['account_id', 'created_at', 'token_id'])
      .execute();
    await db.schema
      .createTable('temporary_credentials')
      .addColumn('access_key_id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('license_arn', 'text', (c) => c.notNull())
      .addColumn('role_arn', 'text', (c) => c.notNull())
      .addColumn('role_session_name', 'text', (c) => c.notNull())
      .addColumn('token_id', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
      .addColumn('sealed_secret_access_key', 'text', (c) => c.notNull())
      .addColumn('sealed_session_token', 'text', (c) => c.notNull())
      .execute();
    // Expired credentials are purged by their expiry.
    await db.schema
      .createIndex('temporary_credentials_by_expiry')
      .on('temporary_credentials')
      .column('expires_at')
      .execute();
  },
};
