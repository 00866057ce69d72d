import type { Kysely, Migration } from 'kysely';

/** Views of licences: the current version and every version (the first half of migration 001-licenses-and-grants). */
export const licensesViews: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('licenses')
      .addColumn('license_id', 'text', (c) => c.primaryKey())
      .addColumn('license_arn', 'text', (c) => c.notNull().unique())
      .addColumn('issuer_account_id', 'text', (c) => c.notNull())
      .addColumn('issuer_name', 'text', (c) => c.notNull())
      .addColumn('sign_key_arn', 'text', (c) => c.notNull())
      .addColumn('key_fingerprint', 'text', (c) => c.notNull())
      .addColumn('product_sku', 'text', (c) => c.notNull())
      .addColumn('beneficiary', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('home_region', 'text', (c) => c.notNull())
      .addColumn('valid_from', 'timestamptz', (c) => c.notNull())
      .addColumn('valid_until', 'timestamptz')
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('stream_version', 'integer', (c) => c.notNull())
      .addColumn('client_token', 'text', (c) => c.notNull())
      .addColumn('request_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('deletion_date', 'timestamptz')
      .addColumn('tags', 'jsonb', (c) => c.notNull())
      .addColumn('document', 'jsonb', (c) => c.notNull())
      .execute();
    // A retried CreateLicense finds its first result; two racing ones cannot both create.
    await db.schema
      .createIndex('licenses_by_client_token')
      .unique()
      .on('licenses')
      .columns(['issuer_account_id', 'client_token'])
      .execute();
    await db.schema
      .createIndex('licenses_by_issuer')
      .on('licenses')
      .columns(['issuer_account_id', 'created_at', 'license_id'])
      .execute();
    await db.schema
      .createIndex('licenses_by_product')
      .on('licenses')
      .columns(['product_sku', 'key_fingerprint'])
      .execute();
    await db.schema
      .createTable('license_versions')
      .addColumn('license_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('document', 'jsonb', (c) => c.notNull())
      .addPrimaryKeyConstraint('license_versions_pk', ['license_id', 'version'])
      .execute();
  },
};
