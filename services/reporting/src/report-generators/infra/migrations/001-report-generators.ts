import type { Kysely, Migration } from 'kysely';

/** The report generators' views: the generators, their creation ClientTokens, and the quota's counters. */
export const reportGeneratorsViews: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('report_generators')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('arn', 'text', (c) => c.notNull().unique())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull())
      .addColumn('license_configuration_arns', 'jsonb', (c) => c.notNull())
      .addColumn('next_run_at', 'timestamptz')
      .addColumn('stream_version', 'integer', (c) => c.notNull())
      .addColumn('state', 'jsonb', (c) => c.notNull())
      .execute();
    // Lists page through an account's generators in creation order.
    await db.schema
      .createIndex('report_generators_by_account')
      .on('report_generators')
      .columns(['account_id', 'region', 'created_at', 'id'])
      .execute();
    // The schedule finds what is due.
    await db.schema.createIndex('report_generators_due').on('report_generators').column('next_run_at').execute();
    await db.schema
      .createTable('report_generator_client_tokens')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('client_token', 'text', (c) => c.notNull())
      .addColumn('request_hash', 'text', (c) => c.notNull())
      .addColumn('arn', 'text', (c) => c.notNull())
      // Two racing creates with one ClientToken cannot both create.
      .addPrimaryKeyConstraint('report_generator_client_tokens_pk', ['account_id', 'client_token'])
      .execute();
    await db.schema
      .createTable('report_generator_counts')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('report_generator_counts_pk', ['account_id', 'region'])
      .execute();
  },
};
