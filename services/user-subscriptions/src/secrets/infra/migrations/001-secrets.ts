import type { Kysely, Migration } from 'kysely';

/**
 * Secrets (the Secrets Manager subset): one row per account, Region and name while the secret
 * exists, its versions' values sealed with the master key inside `document`.
 */
export const secretsViews: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('secrets')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('arn', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('last_changed_at', 'timestamptz', (c) => c.notNull())
      .addColumn('deletion_date', 'timestamptz')
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('document', 'jsonb', (c) => c.notNull())
      .addPrimaryKeyConstraint('secrets_pk', ['account_id', 'region', 'name'])
      .execute();
    // The sweep's question: which secrets are due for deletion.
    await db.schema
      .createIndex('secrets_by_deletion_date')
      .on('secrets')
      .column('deletion_date')
      .where('deletion_date', 'is not', null)
      .execute();
  },
};
