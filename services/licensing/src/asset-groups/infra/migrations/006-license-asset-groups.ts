import type { Migration } from 'kysely';

/**
 * License asset rulesets and groups, what each group's rulesets discover, and the licences rules
 * read; the inventory copy gains an index by account (a group reads its owner's instances).
 */
export const licenseAssetGroupsViews: Migration = {
  async up(db) {
    await db.schema
      .createIndex('resources_by_account')
      .on('resources')
      .columns(['account_id', 'resource_type'])
      .execute();
    await db.schema
      .createTable('license_asset_rulesets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('arn', 'text', (c) => c.notNull().unique())
      .addColumn('owner_account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('document', 'jsonb', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('license_asset_rulesets_owner')
      .on('license_asset_rulesets')
      .columns(['owner_account_id', 'region', 'arn'])
      .execute();
    await db.schema
      .createTable('license_asset_groups')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('arn', 'text', (c) => c.notNull().unique())
      .addColumn('owner_account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('document', 'jsonb', (c) => c.notNull())
      .execute();
    // Apart from the groups' rows, which commands lock: membership writes it under its own lock only.
    await db.schema
      .createTable('license_asset_group_discovery')
      .addColumn('group_arn', 'text', (c) => c.primaryKey())
      .addColumn('latest_resource_discovery_time', 'timestamptz', (c) => c.notNull())
      .addColumn('latest_usage_analysis_time', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('license_asset_groups_owner')
      .on('license_asset_groups')
      .columns(['owner_account_id', 'region', 'arn'])
      .execute();
    await db.schema
      .createTable('license_asset_group_rulesets')
      .addColumn('group_arn', 'text', (c) => c.notNull())
      .addColumn('ruleset_arn', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('license_asset_group_rulesets_pk', ['group_arn', 'ruleset_arn'])
      .execute();
    await db.schema
      .createIndex('license_asset_group_rulesets_ruleset')
      .on('license_asset_group_rulesets')
      .columns(['ruleset_arn', 'group_arn'])
      .execute();
    await db.schema
      .createTable('license_asset_group_members')
      .addColumn('group_arn', 'text', (c) => c.notNull())
      .addColumn('asset_type', 'text', (c) => c.notNull())
      .addColumn('asset_arn', 'text', (c) => c.notNull())
      .addColumn('discovered_at', 'timestamptz', (c) => c.notNull())
      .addPrimaryKeyConstraint('license_asset_group_members_pk', ['group_arn', 'asset_type', 'asset_arn'])
      .execute();
    await db.schema
      .createTable('license_asset_licences')
      .addColumn('license_arn', 'text', (c) => c.primaryKey())
      .addColumn('issuer_account_id', 'text', (c) => c.notNull())
      .addColumn('asset', 'jsonb', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('license_asset_licences_issuer')
      .on('license_asset_licences')
      .column('issuer_account_id')
      .execute();
  },
};
