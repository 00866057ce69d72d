import type { DomainEventMessage } from '@lm/contracts';
import { sql, type Transaction } from 'kysely';
import { REPORTING_SCHEMA } from '../../shared/schema';
import {
  countSample,
  countSampleKey,
  seriesCount,
  seriesToRecount,
  type CountedSeries,
  type SeriesCount,
} from '../domain/stream-counts';
import type { StreamCountsViews, StreamCountTables } from './stream-counts.views';
import { deleteHourlySamples, writeAccountSamples, writeHourly } from './usage-samples';
import type { UsageMetricsViews } from './usage-metrics.views';

type Db = Transaction<StreamCountsViews>;

/**
 * One metric counted over event streams (domain/stream-counts.ts): its two tables (each stream's
 * contribution and series, each series' count), how its series are named (the key also names
 * their hourly points), and which series a stream's contribution counts in.
 */
export interface StreamCounting<Contribution> {
  tables: StreamCountTables;
  seriesKey(series: CountedSeries): string;
  /** May read the views: an instance counts in its organization's aggregate, which settings say. */
  seriesOf(trx: Db, contribution: Contribution): Promise<CountedSeries[]>;
}

/**
 * Applies what a stream's event says of how the stream counts (`contribution`, null for in no
 * series): the stream keeps the version of the last such event applied, so an older or repeated
 * one changes nothing, and the series it leaves and those it joins are counted again from the
 * streams, each written as a point stamped with the event's recording time, after the hourly points
 * of the hours its previous count held. A replay of the events from the beginning writes the same
 * points.
 */
export async function countStream<Contribution>(
  trx: Transaction<any>,
  counting: StreamCounting<Contribution>,
  event: DomainEventMessage,
  accountId: string,
  contribution: Contribution | null,
): Promise<void> {
  const db = (trx as Db).withSchema(REPORTING_SCHEMA);
  // One table type for either counting's streams: they have the same columns.
  const streams = counting.tables.streams as 'running_instance_streams';
  // The row exists before it is locked, so that two events of one stream applied at once queue on it.
  await db
    .insertInto(streams)
    .values({
      stream_name: event.streamName,
      stream_version: 0,
      account_id: accountId,
      contribution: null,
      series_keys: [],
    })
    .onConflict((oc) => oc.column('stream_name').doNothing())
    .execute();
  const stream = await db
    .selectFrom(streams)
    .select(['stream_version', 'series_keys'])
    .where('stream_name', '=', event.streamName)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (stream.stream_version >= event.streamVersion) return;
  const series = contribution === null ? [] : await counting.seriesOf(trx as Db, contribution);
  const keys = series.map((one) => counting.seriesKey(one));
  await db
    .updateTable(streams)
    .set({
      stream_version: event.streamVersion,
      account_id: accountId,
      contribution: contribution === null ? null : JSON.stringify(contribution),
      series_keys: keys,
    })
    .where('stream_name', '=', event.streamName)
    .execute();
  await recountSeries(trx as Db, counting, seriesToRecount(stream.series_keys, keys), series, event);
}

/**
 * Derives again the series of the accounts' counted streams, after what `seriesOf` reads changed
 * (an organization linked, or its accounts), and counts again those that gain or lose streams, at
 * the event that changed it.
 */
export async function recountStreamsOf<Contribution>(
  trx: Transaction<any>,
  counting: StreamCounting<Contribution>,
  accountIds: readonly string[],
  event: DomainEventMessage,
): Promise<void> {
  if (accountIds.length === 0) return;
  const db = (trx as Db).withSchema(REPORTING_SCHEMA);
  const streams = counting.tables.streams as 'running_instance_streams';
  const rows = await db
    .selectFrom(streams)
    .select(['stream_name', 'contribution', 'series_keys'])
    .where('account_id', 'in', accountIds)
    .where('contribution', 'is not', null)
    .orderBy('stream_name')
    .forUpdate()
    .execute();
  const recount = new Set<string>();
  const known: CountedSeries[] = [];
  for (const row of rows) {
    const series = await counting.seriesOf(trx as Db, row.contribution as Contribution);
    const keys = series.map((one) => counting.seriesKey(one));
    const changed = seriesToRecount(row.series_keys, keys);
    if (changed.length === 0) continue;
    await db.updateTable(streams).set({ series_keys: keys }).where('stream_name', '=', row.stream_name).execute();
    for (const key of changed) recount.add(key);
    known.push(...series);
  }
  await recountSeries(trx as Db, counting, [...recount].sort(), known, event);
}

/** Counts each series again from its streams and writes its points at the event (keys in lock order). */
async function recountSeries<Contribution>(
  trx: Db,
  counting: StreamCounting<Contribution>,
  keys: readonly string[],
  known: readonly CountedSeries[],
  event: DomainEventMessage,
): Promise<void> {
  const db = trx.withSchema(REPORTING_SCHEMA);
  const { streams: streamsTable, counts: countsTable } = counting.tables;
  const streams = streamsTable as 'running_instance_streams';
  const counts = countsTable as 'running_instance_counts';
  const points = trx as unknown as Transaction<UsageMetricsViews>;
  const at = new Date(event.recordedAt);
  for (const key of keys) {
    const joined = known.find((series) => counting.seriesKey(series) === key);
    // A series a stream joins may be new; one it leaves has its row since the stream joined it.
    if (joined)
      await db
        .insertInto(counts)
        .values({ key, usage: JSON.stringify(seriesCount(joined, 0)) })
        .onConflict((oc) => oc.doNothing())
        .execute();
    const row = await db.selectFrom(counts).selectAll().where('key', '=', key).forUpdate().executeTakeFirstOrThrow();
    const { count } = await db
      .selectFrom(streams)
      .select(sql<number>`count(*)::int`.as('count'))
      .where(sql<boolean>`series_keys @> ${[key]}::text[]`)
      .executeTakeFirstOrThrow();
    const previous = row.usage;
    const next = seriesCount(previous, count);
    let sampledThrough = row.sampled_through ?? at;
    if (at > sampledThrough) {
      // The previous count held until just before this event.
      const justBefore = new Date(at.getTime() - 1);
      await writeHourlyCountSamples(points, key, previous, sampledThrough, justBefore);
      sampledThrough = justBefore;
    }
    await writeCountSample(points, next, at, `event:${event.eventId}`);
    if (at < sampledThrough) {
      // The sweep sampled hours after this event before it arrived: those hours had this count.
      await deleteHourlySamples(points, key, at);
      await writeHourlyCountSamples(points, key, next, at, sampledThrough);
    }
    await db
      .updateTable(counts)
      .set({ usage: JSON.stringify(next), sampled_through: at > sampledThrough ? at : sampledThrough })
      .where('key', '=', key)
      .execute();
  }
}

/** The point of a series' count at one instant. */
async function writeCountSample(db: Transaction<UsageMetricsViews>, series: SeriesCount, at: Date, source: string) {
  await writeAccountSamples(db, [{ accountId: series.accountId, samples: [countSample(series)] }], at, source, () =>
    countSampleKey(series),
  );
}

/** The hourly points of a count that held from `after` through `through` (`key`: the series' key). */
export async function writeHourlyCountSamples(
  db: Transaction<UsageMetricsViews>,
  key: string,
  series: SeriesCount,
  after: Date,
  through: Date,
): Promise<void> {
  await writeHourly(key, after, through, (hour, source) => writeCountSample(db, series, hour, source));
}
