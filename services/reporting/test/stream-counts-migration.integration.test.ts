import { migrateViews } from '@lm/service-kit';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportingMigrations } from '../src/reporting.migrations';
import { subscribedUsersKey } from '../src/usage-metrics/domain/subscribed-users';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

const ACCOUNT = '222222222222';

describe('migration 009: the subscribed users rows carried over to the shape of counts over streams', () => {
  let database: TestDatabase;
  let db: Kysely<any>;

  beforeAll(async () => {
    database = await createTestDatabase('lm_stream_counts_migration');
    db = new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url }) }) });
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('keeps each subscribed stream in its series and each count under its key, as the counting reads them now', async () => {
    const before = Object.fromEntries(Object.entries(reportingMigrations).filter(([id]) => id < '009'));
    await migrateViews(db, 'reporting', before);
    const reporting = db.withSchema('reporting');
    await reporting
      .insertInto('subscribed_user_streams')
      .values([
        {
          stream_name: 's-alice',
          stream_version: 2,
          account_id: ACCOUNT,
          product: 'OFFICE_PROFESSIONAL_PLUS',
          subscribed: true,
        },
        {
          stream_name: 's-bob',
          stream_version: 4,
          account_id: ACCOUNT,
          product: 'OFFICE_PROFESSIONAL_PLUS',
          subscribed: false,
        },
      ])
      .execute();
    const sampledThrough = new Date('2026-03-01T12:00:00Z');
    await reporting
      .insertInto('subscribed_user_counts')
      .values({
        key: `subscribed-users-${ACCOUNT}-OFFICE_PROFESSIONAL_PLUS`,
        usage: JSON.stringify({ accountId: ACCOUNT, product: 'OFFICE_PROFESSIONAL_PLUS', count: 1, deleted: false }),
        sampled_through: sampledThrough,
      })
      .execute();

    await migrateViews(db, 'reporting', reportingMigrations);

    const series = {
      accountId: ACCOUNT,
      metricName: 'SubscribedUserCount',
      dimensions: [{ Name: 'Product', Value: 'OFFICE_PROFESSIONAL_PLUS' }],
    };
    const key = subscribedUsersKey(series);
    const streams = await reporting.selectFrom('subscribed_user_streams').selectAll().orderBy('stream_name').execute();
    expect(streams).toEqual([
      {
        stream_name: 's-alice',
        stream_version: 2,
        account_id: ACCOUNT,
        contribution: { accountId: ACCOUNT, product: 'OFFICE_PROFESSIONAL_PLUS' },
        series_keys: [key],
      },
      { stream_name: 's-bob', stream_version: 4, account_id: ACCOUNT, contribution: null, series_keys: [] },
    ]);
    const counts = await reporting.selectFrom('subscribed_user_counts').selectAll().execute();
    expect(counts).toEqual([{ key, usage: { ...series, count: 1, deleted: false }, sampled_through: sampledThrough }]);
    const { count } = await reporting
      .selectFrom('subscribed_user_streams')
      .select(sql<number>`count(*)::int`.as('count'))
      .where(sql<boolean>`series_keys @> ${[key]}::text[]`)
      .executeTakeFirstOrThrow();
    expect(count).toBe(1);
  });
});
