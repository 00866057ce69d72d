import type { Kysely, Migration } from 'kysely';

/** license_server_endpoints: the RDS SAL license server endpoints of each account. */
export const licenseServerEndpointsViews: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('license_server_endpoints')
      .addColumn('arn', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('identity_provider_arn', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('stream_version', 'integer', (c) => c.notNull())
      .addColumn('state', 'jsonb', (c) => c.notNull())
      .execute();
    // Lists page through an account's endpoints in creation order.
    await db.schema
      .createIndex('license_server_endpoints_by_account')
      .on('license_server_endpoints')
      .columns(['account_id', 'region', 'created_at', 'arn'])
      .execute();
    // Deregistration asks whether a registration still has an endpoint.
    await db.schema
      .createIndex('license_server_endpoints_by_identity_provider')
      .on('license_server_endpoints')
      .column('identity_provider_arn')
      .execute();
  },
};
