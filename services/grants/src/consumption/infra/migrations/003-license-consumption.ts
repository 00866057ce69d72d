import { sql, type Kysely, type Migration } from 'kysely';

/** Consumption: checkouts by consumption token, and the licences' usage epochs. */
export const licenseConsumption: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('license_consumptions')
      .addColumn('consumption_token', 'text', (c) => c.primaryKey())
      .addColumn('license_arn', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('beneficiary', 'text')
      .addColumn('checkout_type', 'text', (c) => c.notNull())
      .addColumn('node_id', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('issued_at', 'timestamptz', (c) => c.notNull())
      .addColumn('expiration', 'timestamptz', (c) => c.notNull())
      .execute();
    // The expiry sweep reads the open leases in expiration order.
    await db.schema
      .createIndex('license_consumptions_open_by_expiration')
      .on('license_consumptions')
      .columns(['expiration', 'consumption_token'])
      .where(sql.ref('status'), '=', 'ACTIVE')
      .execute();
    await db.schema
      .createTable('license_usage_epochs')
      .addColumn('license_id', 'text', (c) => c.primaryKey())
      .addColumn('usage_epoch', 'integer', (c) => c.notNull())
      .execute();
  },
};
