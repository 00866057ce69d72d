import { sql, type Kysely, type Migration } from 'kysely';

/** The licence expiry sweep reads the licences in their term by the end of their validity. */
export const licensesDueToExpire: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createIndex('licenses_in_term_by_validity_end')
      .on('licenses')
      .column('valid_until')
      .where(sql.ref('status'), 'in', ['AVAILABLE', 'PENDING_AVAILABLE'])
      .execute();
  },
};
