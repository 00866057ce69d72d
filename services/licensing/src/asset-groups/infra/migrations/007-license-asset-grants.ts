import { sql, type Migration } from 'kysely';

/**
 * Licences received through grants: the grants of each licence as grants' events say (which
 * account each is to, its parent, its status), and the licences' rows keep the stream version of
 * their document and of their status, so that an event applied late (redelivered after a later
 * one) changes nothing it should not. A licence whose status came before its document (events
 * out of order) has a row without an asset until the document comes.
 */
export const licenseAssetGrantsViews: Migration = {
  async up(db) {
    await db.schema
      .alterTable('license_asset_licences')
      .addColumn('asset_version', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('status', 'text')
      .addColumn('status_version', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable('license_asset_licences')
      .alterColumn('asset', (c) => c.dropNotNull())
      .execute();
    await db
      .updateTable('license_asset_licences')
      .set({ status: sql`asset->'values'->'LicenseStatus'->>0` })
      .execute();
    await db.schema
      .createTable('license_asset_grants')
      .addColumn('grant_arn', 'text', (c) => c.primaryKey())
      // Null until the grant's GrantCreated is applied (a change of it may come first).
      .addColumn('license_arn', 'text')
      .addColumn('parent_arn', 'text')
      // An account grant's (or sub-grant's) account; null for an organization or OU grant.
      .addColumn('grantee_account_id', 'text')
      .addColumn('status', 'text')
      .addColumn('status_version', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('license_asset_grants_licence')
      .on('license_asset_grants')
      .column('license_arn')
      .execute();
    await db.schema
      .createIndex('license_asset_grants_grantee')
      .on('license_asset_grants')
      .columns(['grantee_account_id', 'status'])
      .execute();
  },
};
