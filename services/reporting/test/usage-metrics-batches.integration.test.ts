import { inPipelinedTransaction } from '@lm/event-store';
import type { DomainEventMessage } from '@lm/contracts';
import { ManualClock, openServiceStorageOf, type ServiceStorage } from '@lm/service-kit';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UsageMetricsConsumer } from '../src/usage-metrics/application/usage-metrics.consumer';
import { ReportingService } from '../src/reporting.service';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

const OWNER = '222222222222';
const at = (time: string) => new Date(`2026-03-02T${time}Z`);

/** Two configurations: created, then resources come and go over several hours, some sharing a host. */
function configuration(id: string, start: number): DomainEventMessage[] {
  const streamName = `license-configuration-lic-${id.repeat(32)}`;
  const event = (streamVersion: number, type: string, hour: number, data: Record<string, unknown>) => ({
    service: 'licensing',
    eventId: `${id}-${streamVersion}`,
    streamName,
    streamVersion,
    type,
    schemaVersion: 1,
    data,
    recordedAt: at(`${String(hour).padStart(2, '0')}:${start}0:00`).toISOString(),
  });
  return [
    event(1, 'LicenseConfigurationCreated', 10, {
      arn: `arn:aws:license-manager:us-east-1:${OWNER}:license-configuration:lic-${id.repeat(32)}`,
      ownerAccountId: OWNER,
      countingType: 'vCPU',
      licenseCount: 10,
    }),
    event(2, 'ResourceAssociated', 11, { resourceArn: 'i-1', consumptionKey: 'i-1', consumedLicenses: 2 }),
    event(3, 'ResourceAssociated', 13, { resourceArn: 'i-2', consumptionKey: 'i-2', consumedLicenses: 4 }),
    event(4, 'ResourceDisassociated', 14, { resourceArn: 'i-1' }),
    // Two instances on one Dedicated Host: the larger consumption counts, once.
    event(5, 'ResourceAssociated', 14, { resourceArn: 'i-3', consumptionKey: 'h-1', consumedLicenses: 6 }),
    event(6, 'ResourceAssociated', 15, { resourceArn: 'i-4', consumptionKey: 'h-1', consumedLicenses: 3 }),
    event(7, 'AssociationConsumptionChanged', 15, { resourceArn: 'i-3', consumedLicenses: 1 }),
    event(8, 'ResourceDisassociated', 15, { resourceArn: 'i-3' }),
  ];
}
const [A, B] = [configuration('a', 1), configuration('b', 2)];
/** As licensing records them: the two streams' events interleaved. */
const RECORDED = A.flatMap((event, i) => [event, B[i]]);

/**
 * The chassis hands the usage-metrics consumer the events delivered together (handleBatch): what it
 * writes is what applying them one at a time writes, whichever order they come in; its points as
 * every query reads them (a batch writes a minute's changes of a series as one statistic set).
 */
describe('usage metrics applied in batches', () => {
  let database: TestDatabase;
  let storage: ServiceStorage;
  const consumer = new UsageMetricsConsumer(new ManualClock(at('16:00:00')));

  /** The data points as stored, one a row. */
  const points = async () =>
    (
      await sql<{ metric_name: string; dimensions_key: string; sum: number; source: string | null }>`
        select metric_name, dimensions_key, timestamp, sum, source
        from reporting.metric_points order by source, dimensions_key, timestamp, id`.execute(storage.db)
    ).rows;
  const state = async () => ({
    // What GetMetricStatistics and every other reader of the points reads: periods are whole minutes.
    statistics: (
      await sql`select metric_name, dimensions_key, date_trunc('minute', timestamp) as minute,
          sum(sample_count) as sample_count, sum(sum) as sum, min(minimum) as minimum, max(maximum) as maximum
        from reporting.metric_points group by 1, 2, 3 order by 1, 2, 3`.execute(storage.db)
    ).rows,
    configurations: (
      await sql`select stream_name, stream_version, usage, changed_at, sampled_through
        from reporting.usage_configurations order by stream_name`.execute(storage.db)
    ).rows,
    associations: (
      await sql`select stream_name, resource_arn, consumption_key, consumed_licenses
        from reporting.usage_configuration_associations order by stream_name, resource_arn`.execute(storage.db)
    ).rows,
    pending: (await sql`select stream_name, stream_version from reporting.usage_pending_events`.execute(storage.db))
      .rows,
  });
  const oneAtATime = async (events: DomainEventMessage[]) => {
    for (const event of events)
      await inPipelinedTransaction(storage.db, (trx, pipeline) => consumer.handleBatch([event], trx, pipeline));
  };
  const inBatches = async (...batches: DomainEventMessage[][]) => {
    for (const batch of batches)
      await inPipelinedTransaction(storage.db, (trx, pipeline) => consumer.handleBatch(batch, trx, pipeline));
  };
  const truncate = () =>
    sql`truncate reporting.metric_points, reporting.usage_configurations, reporting.usage_configuration_associations,
      reporting.usage_pending_events`.execute(storage.db);
  let expected: Awaited<ReturnType<typeof state>>;
  /** The points the events one at a time wrote: one a change and metric. */
  let pointsOneAtATime: Awaited<ReturnType<typeof points>>;

  beforeAll(async () => {
    database = await createTestDatabase('lm_usage_batches');
    storage = await openServiceStorageOf(ReportingService, { DATABASE_URL: database.url });
    await oneAtATime(RECORDED);
    expected = await state();
    pointsOneAtATime = await points();
  });
  beforeEach(() => truncate());
  afterAll(async () => {
    await storage?.close();
    await database?.drop();
  });

  it('writes the same points and usage for a batch as for its events one at a time', async () => {
    expect(expected.statistics.length).toBeGreaterThan(0);
    expect(expected.configurations).toHaveLength(2);
    // Per configuration: 2, 4 and 2 + 4 (i-2 and i-1), then 4 (i-2), 10 and 10 (i-2 and h-1 at 6), 7 (h-1 at 3), 7.
    const used = pointsOneAtATime.filter((point) => point.metric_name === 'LicenseConfigurationUsageCount');
    // The events' points have no source (the hourly ones have theirs): those of configuration a.
    const eventPoints = used.filter((point) => point.source === null && point.dimensions_key.includes('lic-aaaa'));
    expect(eventPoints.map((point) => point.sum)).toEqual([0, 2, 6, 4, 10, 10, 7, 7]);
    expect(expected.associations).toHaveLength(4);
    await inBatches(RECORDED);
    expect(await state()).toEqual(expected);
    // Each configuration's two changes at 14:x0 and three at 15:x0 came in one minute: one point a metric.
    expect((await points()).length).toBe(pointsOneAtATime.length - 2 * (1 + 2) * 3);
    await truncate();
    await inBatches(RECORDED.slice(0, 3), RECORDED.slice(3, 4), RECORDED.slice(4));
    expect(await state()).toEqual(expected);
  });

  it('applies events that come before an earlier one of their stream once it comes, in the batch or a later one', async () => {
    // In one batch: A's third event before its second.
    await inBatches([A[0], B[0], A[2], A[1], B[1], B[2], A[3], B[3], A[4], A[6], A[5], B[4], B[5], B[6], A[7], B[7]]);
    expect(await state()).toEqual(expected);
    await truncate();
    // Over two: B's second event comes in the next batch, after its later ones waited.
    await inBatches([A[0], B[0], A[1], B[2], B[3], A[2], A[5], A[6]], [B[1], A[3], A[4], A[7], ...B.slice(4)]);
    expect(await state()).toEqual(expected);
  });

  it('applies an event delivered again in a batch once', async () => {
    await inBatches(RECORDED.slice(0, 4), [RECORDED[2], ...RECORDED.slice(4), RECORDED[3], RECORDED[5]]);
    expect(await state()).toEqual(expected);
  });

  it("ends every association of a deleted configuration, and no other configuration's", async () => {
    const deleted = {
      ...A[7],
      eventId: 'a-9',
      streamVersion: 9,
      type: 'LicenseConfigurationDeleted',
      data: { ownerAccountId: OWNER },
      recordedAt: at('15:40:00').toISOString(),
    };
    await inBatches(RECORDED, [deleted]);
    const { associations } = await state();
    expect(associations).toEqual(expected.associations.filter((row) => row.stream_name === B[0].streamName));
    expect(associations).toHaveLength(2);
  });
});
