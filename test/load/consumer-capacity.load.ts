import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DURABLE_CONSUMER_BATCH_SIZE,
  domainEventMessageId,
  ensureEventsStream,
  eventSubject,
  startDurableEventConsumer,
  type DomainEventMessage,
} from '@lm/messaging';
import { ManualClock, openServiceStorageOf, type ServiceStorage } from '@lm/service-kit';
import { sql } from 'kysely';
import { connect, JSONCodec, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageMetricsConsumer } from '../../services/reporting/src/usage-metrics/application/usage-metrics.consumer';
import { ReportingService } from '../../services/reporting/src/reporting.service';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { formatTable } from './table';

/** Configurations created then updated: twice as many events, as the projection bench's clients make them. */
const CONFIGURATIONS = 300;
const RESULTS_FILE = join(__dirname, 'results/consumer-capacity.json');
const codec = JSONCodec<DomainEventMessage>();

interface Capacity {
  batchSize: number;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  /** The machine's one-minute load average when it finished: the rates are only comparable under the same. */
  loadAverage: number;
}

/** Licensing's events of `CONFIGURATIONS` new configurations, each then given another count, in recording order. */
function backlog(run: string): DomainEventMessage[] {
  const recordedAt = new Date().toISOString();
  return Array.from({ length: CONFIGURATIONS }, (_, i) => {
    const id = `${run}${String(i).padStart(24, '0')}`;
    const event = { service: 'licensing', streamName: `license-configuration-lic-${id}`, schemaVersion: 1, recordedAt };
    return [
      {
        ...event,
        eventId: `${id}-1`,
        streamVersion: 1,
        type: 'LicenseConfigurationCreated',
        data: {
          arn: `arn:aws:license-manager:us-east-1:123456789012:license-configuration:lic-${id}`,
          ownerAccountId: '123456789012',
          countingType: 'vCPU',
          licenseCount: 100,
        },
      },
      {
        ...event,
        eventId: `${id}-2`,
        streamVersion: 2,
        type: 'LicenseConfigurationUpdated',
        data: { changes: { licenseCount: 200 } },
      },
    ];
  }).flat();
}

/**
 * How fast reporting's usage-metrics consumer works off a backlog that is already in JetStream, one
 * event per transaction (as before the chassis applied delivered events in batches) and in
 * batches: what it can ingest at most, free of licensing's production and its relay's lag. The
 * events go to subjects of the run's own (their messages say 'licensing', as the consumer wants)
 * and a fresh database, so nothing else runs beside the consumer but what shares the machine.
 */
describe('capacity of the usage-metrics consumer on a backlog', () => {
  let database: TestDatabase;
  let storage: ServiceStorage;
  let nc: NatsConnection;
  const results: Capacity[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('lm_consumer_capacity');
    storage = await openServiceStorageOf(ReportingService, { DATABASE_URL: database.url });
    nc = await connect({ servers: process.env.NATS_URL });
    await ensureEventsStream(nc);
  });

  afterAll(async () => {
    if (results.length > 0) {
      console.log(
        [
          `Capacity of reporting's usage-metrics consumer: a backlog of ${2 * CONFIGURATIONS} licensing events in JetStream`,
          `(${CONFIGURATIONS} configurations created, then their count updated), applied once; ${availableParallelism()} cores`,
          '',
          ...formatTable(
            ['events per transaction', 'events', 's', 'events/s', 'load average'],
            results.map((r) => [
              r.batchSize === 1 ? '1 (one at a time)' : `up to ${r.batchSize}`,
              String(r.events),
              r.seconds.toFixed(2),
              r.eventsPerSecond.toFixed(0),
              r.loadAverage.toFixed(1),
            ]),
          ).map((line) => `  ${line}`),
        ].join('\n'),
      );
      mkdirSync(dirname(RESULTS_FILE), { recursive: true });
      writeFileSync(
        RESULTS_FILE,
        `${JSON.stringify({ measuredAt: new Date().toISOString(), cores: availableParallelism(), node: process.version, results }, null, 2)}\n`,
      );
    }
    await nc?.drain();
    await storage?.close();
    await database?.drop();
  });

  const workOff = async (batchSize: number): Promise<Capacity> => {
    const run = randomBytes(4).toString('hex');
    const subjects = `capacity${run}`;
    const events = backlog(run);
    const js = nc.jetstream();
    for (const event of events)
      await js.publish(eventSubject(subjects, event.type), codec.encode(event), {
        msgID: `${subjects}:${domainEventMessageId(event)}`,
      });
    const durableName = `consumer-capacity-${run}`;
    const consumer = new UsageMetricsConsumer(new ManualClock(new Date()));
    const applied = async () =>
      Number(
        (
          await sql<{ count: string }>`select count(*) as count from reporting.processed_events
            where consumer = ${durableName}`.execute(storage.db)
        ).rows[0].count,
      );
    const started = performance.now();
    const running = await startDurableEventConsumer({
      nc,
      db: storage.db,
      schema: 'reporting',
      durableName,
      filterSubject: eventSubject(subjects, '>'),
      handleBatch: (batch, trx, pipeline) => consumer.handleBatch(batch, trx, pipeline),
      batchSize,
    });
    while ((await applied()) < events.length) await sleep(20);
    const seconds = (performance.now() - started) / 1_000;
    await running.stop();

    // Each event applied once: one ledger row each, every configuration at its second version.
    expect(await applied()).toBe(events.length);
    const versions = await sql<{ version: number; count: string }>`select stream_version as version, count(*) as count
      from reporting.usage_configurations where stream_name like ${`license-configuration-lic-${run}%`}
      group by stream_version`.execute(storage.db);
    expect(versions.rows.map((r) => [r.version, Number(r.count)])).toEqual([[2, CONFIGURATIONS]]);
    return {
      batchSize,
      events: events.length,
      seconds,
      eventsPerSecond: events.length / seconds,
      loadAverage: loadavg()[0],
    };
  };

  it('works off the backlog once, one event per transaction and in batches', async () => {
    // Twice each, alternating, so that a change in the machine's load shows rather than favours one.
    for (const batchSize of [1, DURABLE_CONSUMER_BATCH_SIZE, 1, DURABLE_CONSUMER_BATCH_SIZE])
      results.push(await workOff(batchSize));
  });
});
