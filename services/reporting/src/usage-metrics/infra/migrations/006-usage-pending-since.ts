import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Since when each event ahead of its stream has waited for the one before it: an event that
 * waits far longer than JetStream's redelivery is reported (a gauge, a warning). Rows that were
 * already waiting count from the migration.
 */
export const usagePendingSince: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .alterTable('usage_pending_events')
      .addColumn('pending_since', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
  },
};
