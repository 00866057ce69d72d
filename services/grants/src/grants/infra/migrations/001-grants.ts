import { sql, type Kysely, type Migration } from 'kysely';
import { GRANTS_SCHEMA } from '../../../shared/schema';

/** Views of grants (current and every version) and the grant quota (the second half of migration 001-licenses-and-grants). */
export const grantsViews: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('grants')
      .addColumn('grant_id', 'text', (c) => c.primaryKey())
      .addColumn('grant_arn', 'text', (c) => c.notNull().unique())
      .addColumn('grantor_account_id', 'text', (c) => c.notNull())
      .addColumn('license_arn', 'text', (c) => c.notNull())
      .addColumn('parent_arn', 'text', (c) => c.notNull())
      .addColumn('grantee_principal_arn', 'text', (c) => c.notNull())
      .addColumn('grantee_account_id', 'text')
      .addColumn('grantee_organization_id', 'text')
      .addColumn('grantee_ou_id', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('product_sku', 'text', (c) => c.notNull())
      .addColumn('license_issuer_name', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('stream_version', 'integer', (c) => c.notNull())
      .addColumn('client_token', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('state', 'jsonb', (c) => c.notNull())
      .addColumn('document', 'jsonb', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('grants_by_client_token')
      .unique()
      .on('grants')
      .columns(['grantor_account_id', 'client_token'])
      .execute();
    await db.schema
      .createIndex('grants_by_grantor')
      .on('grants')
      .columns(['grantor_account_id', 'created_at', 'grant_id'])
      .execute();
    await db.schema.createIndex('grants_by_license').on('grants').columns(['license_arn']).execute();
    await db.schema.createIndex('grants_by_grantee_account').on('grants').columns(['grantee_account_id']).execute();
    await db.schema
      .createIndex('grants_by_grantee_organization')
      .on('grants')
      .columns(['grantee_organization_id'])
      .execute();
    // One ACTIVE grant per product for a grantee: two racing activations cannot both commit. Checked
    // at commit, so that an append replacing the active grant may write its rows in any order.
    await sql`
      alter table ${sql.id(GRANTS_SCHEMA, 'grants')} add constraint grants_one_active_per_product
      exclude using btree (grantee_principal_arn with =, product_sku with =) where (status = 'ACTIVE')
      deferrable initially deferred
    `.execute(db);
    await db.schema
      .createTable('grant_versions')
      .addColumn('grant_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('document', 'jsonb', (c) => c.notNull())
      .addPrimaryKeyConstraint('grant_versions_pk', ['grant_id', 'version'])
      .execute();
    await db.schema
      .createTable('license_grant_counts')
      .addColumn('license_arn', 'text', (c) => c.primaryKey())
      .addColumn('count', 'integer', (c) => c.notNull())
      .execute();
  },
};
