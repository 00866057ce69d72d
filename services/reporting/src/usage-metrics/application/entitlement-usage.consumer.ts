import { Inject, Injectable } from '@nestjs/common';
import { stringifyExactJson, type DomainEventMessage } from '@lm/contracts';
import { CLOCK, type Clock, type BatchEventConsumer } from '@lm/service-kit';
import { precompiled, type StatementPipeline } from '@lm/event-store';
import { sql, type Kysely, type Transaction } from 'kysely';
import {
  accountsChangedBy,
  evolveEntitlementUsage,
  isEntitlementUsageEvent,
  licenceIdOfStream,
  licenceStreamOf,
  type LicenceEntitlementUsage,
} from '../domain/entitlement-usage';
import { REPORTING_SCHEMA } from '../../shared/schema';
import {
  entitlementSampleRows,
  licenceStreamName,
  usageStreamName,
  writeHourlyEntitlementSamples,
} from './entitlement-samples';
import { LOCK_ENTITLEMENT_USAGE_LICENCES_FUNCTION, type EntitlementUsageViews } from './entitlement-usage.views';
import { holdPending, takePending } from './pending-events';
import { deleteHourlySamples, insertMetricPoints, mergedByMinute, type MetricPointRow } from './usage-samples';
import type { UsageMetricsViews } from './usage-metrics.views';

/** A licence's two streams as far as they were applied. */
interface Followed {
  licenseId: string;
  licence: number;
  usage: number;
  state?: LicenceEntitlementUsage;
  sampledThrough?: Date;
}

type Stream = 'licence' | 'usage';

const streamNameOf = (licenseId: string, stream: Stream) =>
  stream === 'licence' ? licenceStreamName(licenseId) : usageStreamName(licenseId);

/**
 * Follows grants' licence and usage events (durable consumer 'reporting-entitlement-usage'): keeps
 * each seller-issued licence's entitlement usage and writes the points of the accounts that see
 * it (the seller, each root buyer, each consuming account) at every change of theirs, stamped with
 * the event's recording time, and the hourly points of the hours the previous usage held. Everything
 * it writes follows from the events alone, so replaying them rebuilds the same statistics (each
 * series' per minute: replayed in other batches, a minute's changes may make other points).
 *
 * As the configuration metrics do, each stream is applied in its order (an event ahead of its
 * stream waits in usage_pending_events, see pending-events.ts), and a usage event also waits for its
 * licence's creation, which names the seller and the entitlements.
 */
@Injectable()
export class EntitlementUsageConsumer implements BatchEventConsumer {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  /**
   * The events delivered together: their licences are read (and locked, in the order of their ids)
   * in one statement and written back in one, as the configurations' consumer does.
   */
  async handleBatch(
    events: DomainEventMessage<object>[],
    trx: Transaction<any>,
    pipeline: StatementPipeline,
  ): Promise<void> {
    const licenceEvents = events.filter((event) => licenceStreamOf(event) !== undefined);
    if (licenceEvents.length === 0) return;
    const tx = trx as Transaction<EntitlementUsageViews>;
    const { licences, waiting } = await readLicences(tx, licenceEvents);
    const batch: BatchWrites = { waiting, points: [] };
    const changed = new Map<string, Followed>();
    for (const event of licenceEvents) {
      const stream = licenceStreamOf(event)!;
      let followed = licences.get(licenceIdOfStream(event.streamName))!;
      if (event.streamVersion <= followed[stream]) continue;
      if (!isNext(followed, stream, event.streamVersion)) {
        await holdPending(tx, event, this.clock.now());
        waiting.add(event.streamName);
        continue;
      }
      followed = await apply(tx, followed, stream, event, batch);
      followed = await applyWaiting(tx, followed, batch);
      licences.set(followed.licenseId, followed);
      changed.set(followed.licenseId, followed);
    }
    // Nothing reads their answers: they go with the commit.
    writeLicences(tx, pipeline, [...changed.values()]);
    await insertMetricPoints(tx as unknown as Transaction<UsageMetricsViews>, mergedByMinute(batch.points), pipeline);
  }
}

/**
 * What a batch keeps until its end: the streams with events held for an earlier one (read once for
 * the batch, so that an event with none held asks for none), and the data points of every event
 * (one insert for the batch rather than one per event).
 */
interface BatchWrites {
  waiting: Set<string>;
  points: MetricPointRow[];
}

/** A licence's row as the locking function returns it, with the streams of the batch that have events held. */
interface LockedLicenceRow {
  license_id: string;
  license_stream_version: number;
  usage_stream_version: number;
  usage: LicenceEntitlementUsage | null;
  sampled_through: Date | null;
  held_streams: string[];
}

/** See readLicences; compiled once (every batch runs it). */
const lockAndReadLicences = precompiled(
  (db: Kysely<any>, p: { licenseIds: string[]; streamNames: string[] }) =>
    sql<LockedLicenceRow>`select * from ${sql.table(`${REPORTING_SCHEMA}.${LOCK_ENTITLEMENT_USAGE_LICENCES_FUNCTION}`)}(
    ${p.licenseIds}::text[], ${p.streamNames}::text[])`,
);

/**
 * The licences of the events as applied so far, locked in the order of their ids until the
 * transaction ends, and those of their streams with events held (read once the locks are held: only
 * a holder of the licence's lock holds its events). A licence's row exists before it is locked, so
 * that its two streams queue on it. One call (LOCK_ENTITLEMENT_USAGE_LICENCES_FUNCTION, which says how).
 */
async function readLicences(
  tx: Transaction<EntitlementUsageViews>,
  events: DomainEventMessage<object>[],
): Promise<{ licences: Map<string, Followed>; waiting: Set<string> }> {
  const licenseIds = [...new Set(events.map((event) => licenceIdOfStream(event.streamName)))].sort();
  const streamNames = licenseIds.flatMap((id) => [licenceStreamName(id), usageStreamName(id)]);
  const { rows } = await lockAndReadLicences(tx, { licenseIds, streamNames });
  const licences = new Map(
    rows.map((row) => [
      row.license_id,
      {
        licenseId: row.license_id,
        licence: row.license_stream_version,
        usage: row.usage_stream_version,
        state: row.usage ?? undefined,
        sampledThrough: row.sampled_through ?? undefined,
      },
    ]),
  );
  return { licences, waiting: new Set(rows[0]?.held_streams) };
}

/** See writeLicences; one statement text whatever the number of licences, compiled once. */
const upsertLicences = precompiled(
  (db: Kysely<any>, p: { rows: string }) => sql`
    insert into ${sql.table(`${REPORTING_SCHEMA}.entitlement_usage_licences`)}
      (license_id, license_stream_version, usage_stream_version, usage, sampled_through)
    select r.license_id, r.license_stream_version, r.usage_stream_version, r.usage, r.sampled_through
    from jsonb_to_recordset(${p.rows}::jsonb) as r(
      license_id text, license_stream_version integer, usage_stream_version integer, usage jsonb,
      sampled_through timestamptz)
    on conflict (license_id) do update set
      license_stream_version = excluded.license_stream_version,
      usage_stream_version = excluded.usage_stream_version,
      usage = excluded.usage,
      sampled_through = excluded.sampled_through`,
);

/**
 * Writes the licences the events changed, in one statement (a usage or instant not known yet stays
 * null): their rows travel as one JSON parameter, written with longs exact.
 */
function writeLicences(tx: Transaction<EntitlementUsageViews>, pipeline: StatementPipeline, changed: Followed[]): void {
  if (changed.length === 0) return;
  const rows = changed.map((followed) => ({
    license_id: followed.licenseId,
    license_stream_version: followed.licence,
    usage_stream_version: followed.usage,
    usage: followed.state,
    sampled_through: followed.sampledThrough,
  }));
  pipeline.send(upsertLicences.bind(tx, { rows: stringifyExactJson(rows) }));
}

/** Whether an event is the next of its stream (a usage event also needs the licence's creation applied). */
function isNext(followed: Followed, stream: Stream, version: number): boolean {
  return version === followed[stream] + 1 && (stream === 'licence' || followed.state !== undefined);
}

/** The events of either stream that were waiting for those applied, as long as one is next. */
async function applyWaiting(
  tx: Transaction<EntitlementUsageViews>,
  followed: Followed,
  batch: BatchWrites,
): Promise<Followed> {
  for (;;) {
    const next = (['licence', 'usage'] as const).filter(
      (stream) =>
        batch.waiting.has(streamNameOf(followed.licenseId, stream)) && isNext(followed, stream, followed[stream] + 1),
    );
    let applied = false;
    for (const stream of next) {
      const waiting = await takePending(tx, streamNameOf(followed.licenseId, stream), followed[stream] + 1);
      if (!waiting) continue;
      followed = await apply(tx, followed, stream, waiting, batch);
      applied = true;
    }
    if (!applied) return followed;
  }
}

/** One event, the next of its stream: the hours the usage held before it, then its own points. */
async function apply(
  tx: Transaction<EntitlementUsageViews>,
  followed: Followed,
  stream: Stream,
  event: DomainEventMessage<object>,
  { points }: BatchWrites,
): Promise<Followed> {
  const advanced = { ...followed, [stream]: event.streamVersion };
  if (!isEntitlementUsageEvent(event)) return advanced;
  const trx = tx as unknown as Transaction<UsageMetricsViews>;
  const at = new Date(event.recordedAt);
  const previous = followed.state;
  let sampledThrough = followed.sampledThrough ?? at;
  if (previous && !previous.deleted && at > sampledThrough) {
    // The usage before this event held until just before it.
    const justBefore = new Date(at.getTime() - 1);
    await writeHourlyEntitlementSamples(trx, followed.licenseId, previous, sampledThrough, justBefore);
    sampledThrough = justBefore;
  }
  const state = evolveEntitlementUsage(previous, event);
  if (!state) return { ...advanced, sampledThrough: previous ? sampledThrough : followed.sampledThrough };
  points.push(...entitlementSampleRows(state, at, `event:${event.eventId}`, accountsChangedBy(previous, event)));
  if (at < sampledThrough) {
    // The sweep sampled hours after this event before it arrived: those hours had this usage.
    await deleteHourlySamples(trx, licenceStreamName(followed.licenseId), at);
    await writeHourlyEntitlementSamples(trx, followed.licenseId, state, at, sampledThrough);
  }
  return { ...advanced, state, sampledThrough };
}
