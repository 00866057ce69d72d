import { inPipelinedTransaction } from '@lm/event-store';
import { ManualClock, migrateViews } from '@lm/service-kit';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportingMigrations } from '../src/reporting.migrations';
import { UsageMetricsConsumer } from '../src/usage-metrics/application/usage-metrics.consumer';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

const OWNER = '222222222222';
const STREAM = `license-configuration-lic-${'ef'.repeat(16)}`;
const ARN = `arn:aws:license-manager:us-east-1:${OWNER}:license-configuration:lic-${'ef'.repeat(16)}`;
const CHANGED_AT = new Date('2026-03-01T11:30:00Z');

describe('migration 011: the associations of each configuration carried over to rows of their own', () => {
  let database: TestDatabase;
  let db: Kysely<any>;

  beforeAll(async () => {
    database = await createTestDatabase('lm_configuration_associations_migration');
    db = new Kysely({
      dialect: new PostgresDialect({
        pool: new pg.Pool({ connectionString: database.url, pipeline: true } as pg.PoolConfig),
      }),
    });
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('keeps each association as a row and what they consume in the usage, which the next event goes on from', async () => {
    const before = Object.fromEntries(Object.entries(reportingMigrations).filter(([id]) => id < '011'));
    await migrateViews(db, 'reporting', before);
    const reporting = db.withSchema('reporting');
    const usage = { arn: ARN, accountId: OWNER, countingType: 'Core', licenseCount: 40, deleted: false };
    await reporting
      .insertInto('usage_configurations')
      .values([
        {
          stream_name: STREAM,
          account_id: OWNER,
          stream_version: 4,
          // Two instances on one host (the larger counts) and one of its own: 16 + 8.
          usage: JSON.stringify({
            ...usage,
            associations: {
              'i-1': { consumptionKey: 'h-1', consumedLicenses: 16 },
              'i-2': { consumptionKey: 'h-1', consumedLicenses: 4 },
              'i-3': { consumptionKey: 'i-3', consumedLicenses: 8 },
            },
          }),
          changed_at: CHANGED_AT,
          sampled_through: CHANGED_AT,
        },
        {
          stream_name: `${STREAM}-empty`,
          account_id: OWNER,
          stream_version: 1,
          usage: JSON.stringify({ ...usage, associations: {} }),
          changed_at: CHANGED_AT,
          sampled_through: CHANGED_AT,
        },
      ])
      .execute();

    await migrateViews(db, 'reporting', reportingMigrations);

    const associations = await reporting
      .selectFrom('usage_configuration_associations')
      .selectAll()
      .orderBy('resource_arn')
      .execute();
    expect(associations).toEqual([
      { stream_name: STREAM, resource_arn: 'i-1', consumption_key: 'h-1', consumed_licenses: 16 },
      { stream_name: STREAM, resource_arn: 'i-2', consumption_key: 'h-1', consumed_licenses: 4 },
      { stream_name: STREAM, resource_arn: 'i-3', consumption_key: 'i-3', consumed_licenses: 8 },
    ]);
    const usages = await reporting
      .selectFrom('usage_configurations')
      .select(['stream_name', 'usage'])
      .orderBy('stream_name')
      .execute();
    expect(usages).toEqual([
      { stream_name: STREAM, usage: { ...usage, consumedLicenses: 24 } },
      { stream_name: `${STREAM}-empty`, usage: { ...usage, consumedLicenses: 0 } },
    ]);

    // i-1 stops: its host counts i-2's 4 now.
    const consumer = new UsageMetricsConsumer(new ManualClock(CHANGED_AT));
    await inPipelinedTransaction(db, (trx, pipeline) =>
      consumer.handleBatch(
        [
          {
            service: 'licensing',
            eventId: 'stopped',
            streamName: STREAM,
            streamVersion: 5,
            type: 'AssociationConsumptionChanged',
            schemaVersion: 1,
            data: { resourceArn: 'i-1', consumedLicenses: 0, reason: 'stopped', at: CHANGED_AT.toISOString() },
            recordedAt: CHANGED_AT.toISOString(),
          },
        ],
        trx,
        pipeline,
      ),
    );
    const point = await reporting
      .selectFrom('metric_points')
      .select('sum')
      .where('metric_name', '=', 'LicenseConfigurationUsageCount')
      .where('timestamp', '=', CHANGED_AT)
      .executeTakeFirstOrThrow();
    expect(point.sum).toBe(12);
  });
});
