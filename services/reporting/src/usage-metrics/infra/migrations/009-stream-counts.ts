import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The subscribed users' tables take the shape of every metric counted over event streams
 * (stream-counts.ts): a stream keeps what it counts as (`contribution`) and the keys of the series
 * it counts in, instead of its product and whether it is subscribed; a count's usage names its
 * metric and dimensions. The rows are carried over, so no point changes.
 */
export const streamCountsShape: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .alterTable('subscribed_user_streams')
      .addColumn('contribution', 'jsonb')
      .addColumn('series_keys', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
      .execute();
    await db
      .updateTable('subscribed_user_streams')
      .set({
        contribution: sql`jsonb_build_object('accountId', account_id, 'product', product)`,
        series_keys: sql`array['subscribed-users-' || account_id || '-' || product]`,
      })
      .where('subscribed', '=', true)
      .execute();
    await db.schema.alterTable('subscribed_user_streams').dropColumn('product').dropColumn('subscribed').execute();
    // A series' count is read from the streams that hold its key, at each change.
    await db.schema
      .createIndex('subscribed_user_streams_by_series')
      .on('subscribed_user_streams')
      .using('gin')
      .column('series_keys')
      .execute();
    await db
      .updateTable('subscribed_user_counts')
      .set({
        usage: sql`jsonb_build_object(
          'accountId', usage->'accountId',
          'metricName', 'SubscribedUserCount',
          'dimensions', jsonb_build_array(jsonb_build_object('Name', 'Product', 'Value', usage->'product')),
          'count', usage->'count',
          'deleted', false)`,
      })
      .execute();
  },
};
