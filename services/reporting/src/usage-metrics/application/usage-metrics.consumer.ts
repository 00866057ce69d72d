import { Inject, Injectable } from '@nestjs/common';
import { stringifyExactJson, type DomainEventMessage, type LicenseConfigurationEventMessage } from '@lm/contracts';
import { CLOCK, type Clock, type BatchEventConsumer } from '@lm/service-kit';
import { precompiled, type StatementPipeline } from '@lm/event-store';
import { sql, type Kysely, type Transaction } from 'kysely';
import { evolveUsage, isConfigurationEvent, type ConfigurationUsage } from '../domain/configuration-usage';
import { REPORTING_SCHEMA } from '../../shared/schema';
import { BatchAssociations, type AssociationRow, type AssociationsAsked } from './configuration-associations';
import { holdPending, takePending } from './pending-events';
import {
  configurationSampleRows,
  deleteHourlySamples,
  insertMetricPoints,
  mergedByMinute,
  writeHourlySamples,
  type MetricPointRow,
} from './usage-samples';
import { LOCK_USAGE_CONFIGURATIONS_FUNCTION, type UsageMetricsViews } from './usage-metrics.views';

/** A configuration's stream as far as it was applied. */
interface Followed {
  version: number;
  usage?: ConfigurationUsage;
  changedAt?: Date;
  sampledThrough?: Date;
}

/** A stream with a usage: what usage_configurations keeps. */
type Kept = Followed & { usage: ConfigurationUsage };
const isKept = (stream: Followed | undefined): stream is Kept => stream?.usage !== undefined;

/**
 * Follows licensing's events (durable consumer 'reporting-usage-metrics'): keeps each license
 * configuration's usage and writes its gauges at every change, stamped with the event's recording
 * time, and the hourly points of the hours the previous usage held. Everything it writes follows
 * from the events alone, so replaying them rebuilds the same statistics (each series' per minute:
 * replayed in other batches, a minute's changes may make other points).
 *
 * Each stream is applied in its order: JetStream redelivers an event the crashed process had not
 * acknowledged only after later ones, so an event ahead of its stream waits (usage_pending_events)
 * until the one before it is applied (the sweep warns of one that waits too long, and
 * lm_reporting_pending_events counts them). The chassis applies each event once (its ledger row is
 * written in the same transaction), and an event at or below the version applied is skipped too.
 *
 * The chassis hands it the events delivered together: their streams are locked, in the order of
 * their names, and read with the associations they concern (BatchAssociations) in one round trip,
 * and written back in a statement each, with the data points of its events' changes, so that a
 * batch costs a few statements however many events it holds, and the consumer keeps up with
 * licensing however many clients it serves. A stream's usage keeps only what its associations
 * consume, which each event changes by what it changes on its consumption keys: an event costs the
 * same however many resources its configuration has.
 */
@Injectable()
export class UsageMetricsConsumer implements BatchEventConsumer {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  async handleBatch(
    events: DomainEventMessage<object>[],
    trx: Transaction<any>,
    pipeline: StatementPipeline,
  ): Promise<void> {
    const configurationEvents = events.filter(isConfigurationEvent);
    if (configurationEvents.length === 0) return;
    const tx = trx as Transaction<UsageMetricsViews>;
    const associations = new BatchAssociations();
    const { streams, waiting } = await lockStreams(tx, configurationEvents, associations);
    const changed = new Map<string, Kept>();
    const points: MetricPointRow[] = [];
    for (const event of configurationEvents) {
      const stream = await this.applyInOrder(tx, streams.get(event.streamName) ?? { version: 0 }, event, waiting, {
        associations,
        points,
      });
      // A stream without usage (its creation never seen) is not kept: its next events wait, as they did.
      if (!isKept(stream)) continue;
      streams.set(event.streamName, stream);
      changed.set(event.streamName, stream);
    }
    // Nothing reads their answers: they go with the commit.
    writeStreams(tx, pipeline, changed);
    associations.write(tx, pipeline);
    await insertMetricPoints(tx, mergedByMinute(points), pipeline);
  }

  /**
   * The stream after the event and the events that waited for it; undefined when the event was
   * applied before, or waits for an earlier one (`waiting` then holds its stream).
   */
  private async applyInOrder(
    tx: Transaction<UsageMetricsViews>,
    stream: Followed,
    event: LicenseConfigurationEventMessage,
    waiting: Set<string>,
    batch: BatchWrites,
  ): Promise<Followed | undefined> {
    if (event.streamVersion <= stream.version) return undefined;
    if (event.streamVersion > stream.version + 1) {
      await holdPending(tx, event, this.clock.now());
      waiting.add(event.streamName);
      return undefined;
    }
    let applied = await apply(tx, stream, event, batch);
    while (waiting.has(event.streamName)) {
      // Held after isConfigurationEvent narrowed it.
      const next = await takePending<LicenseConfigurationEventMessage>(tx, event.streamName, applied.version + 1);
      if (!next) break;
      await batch.associations.read(tx, [next]);
      applied = await apply(tx, applied, next, batch);
    }
    return applied;
  }
}

/** A stream's row as the locking function returns it (without a row yet: its columns null). */
interface LockedStreamRow {
  stream_name: string;
  stream_version: number | null;
  usage: ConfigurationUsage | null;
  changed_at: Date | null;
  sampled_through: Date | null;
  /** Whether it has events held. */
  held: boolean;
  /** Those of its associations the batch's events concern (see BatchAssociations.unread). */
  associations: AssociationRow[];
}

/** See lockStreams; compiled once (every batch runs it). */
const lockAndReadStreams = precompiled(
  (db: Kysely<any>, p: AssociationsAsked & { streamNames: string[] }) =>
    sql<LockedStreamRow>`select * from ${sql.table(`${REPORTING_SCHEMA}.${LOCK_USAGE_CONFIGURATIONS_FUNCTION}`)}(
    ${p.streamNames}::text[], ${p.resourceStreams}::text[], ${p.resourceArns}::text[], ${p.keyStreams}::text[],
    ${p.consumptionKeys}::text[])`,
);

/**
 * The streams of the events as applied so far, locked in the order of their names until the
 * transaction ends; those with an event waiting for an earlier one; and the associations the events
 * concern, taken into `associations`. Read once the locks are held: only a holder of a stream's
 * lock holds its events or changes its associations. One call (LOCK_USAGE_CONFIGURATIONS_FUNCTION,
 * which says how).
 */
async function lockStreams(
  tx: Transaction<UsageMetricsViews>,
  events: LicenseConfigurationEventMessage[],
  associations: BatchAssociations,
): Promise<{ streams: Map<string, Followed>; waiting: Set<string> }> {
  const streamNames = [...new Set(events.map((event) => event.streamName))].sort();
  const asked = associations.unread(events);
  const { rows } = await lockAndReadStreams(tx, { streamNames, ...asked });
  associations.take(
    asked,
    rows.flatMap((row) => row.associations),
  );
  const streams = new Map<string, Followed>();
  for (const row of rows)
    if (row.stream_version !== null)
      streams.set(row.stream_name, {
        version: row.stream_version,
        usage: row.usage!,
        changedAt: row.changed_at!,
        sampledThrough: row.sampled_through!,
      });
  return { streams, waiting: new Set(rows.filter((row) => row.held).map((row) => row.stream_name)) };
}

/** See writeStreams; one statement text whatever the number of streams, compiled once. */
const upsertStreams = precompiled(
  (db: Kysely<any>, p: { rows: string }) => sql`
    insert into ${sql.table(`${REPORTING_SCHEMA}.usage_configurations`)}
      (stream_name, account_id, stream_version, usage, changed_at, sampled_through)
    select r.stream_name, r.account_id, r.stream_version, r.usage, r.changed_at, r.sampled_through
    from jsonb_to_recordset(${p.rows}::jsonb) as r(
      stream_name text, account_id text, stream_version integer, usage jsonb, changed_at timestamptz,
      sampled_through timestamptz)
    on conflict (stream_name) do update set
      account_id = excluded.account_id,
      stream_version = excluded.stream_version,
      usage = excluded.usage,
      changed_at = excluded.changed_at,
      sampled_through = excluded.sampled_through`,
);

/**
 * Writes the streams the events changed, in one statement: their rows travel as one JSON parameter
 * (their instants as ISO strings).
 */
function writeStreams(
  tx: Transaction<UsageMetricsViews>,
  pipeline: StatementPipeline,
  changed: Map<string, Kept>,
): void {
  if (changed.size === 0) return;
  const rows = [...changed].map(([name, stream]) => ({
    stream_name: name,
    account_id: stream.usage.accountId,
    stream_version: stream.version,
    usage: stream.usage,
    changed_at: stream.changedAt!,
    sampled_through: stream.sampledThrough!,
  }));
  pipeline.send(upsertStreams.bind(tx, { rows: stringifyExactJson(rows) }));
}

/**
 * What a batch writes at its end, in a statement each: the associations its events changed, and
 * the data points of each change (one insert for the batch rather than one per event; a series'
 * changes in one minute as one statistic set, mergedByMinute).
 */
interface BatchWrites {
  associations: BatchAssociations;
  points: MetricPointRow[];
}

/** One event, the next of its stream: the hours the usage held before it, then its own samples. */
async function apply(
  trx: Transaction<UsageMetricsViews>,
  stream: Followed,
  event: LicenseConfigurationEventMessage,
  { associations, points }: BatchWrites,
): Promise<Followed> {
  const at = new Date(event.recordedAt);
  let sampledThrough = stream.sampledThrough ?? at;
  if (stream.usage && !stream.usage.deleted && at > sampledThrough) {
    // The usage before this event held until just before it.
    const justBefore = new Date(at.getTime() - 1);
    await writeHourlySamples(trx, event.streamName, stream.usage, sampledThrough, justBefore);
    sampledThrough = justBefore;
  }
  const change = evolveUsage(stream.usage, event, associations.sharing(event));
  if (!change) return { ...stream, version: event.streamVersion, sampledThrough };
  const { usage, association } = change;
  if (association) associations.set(event.streamName, association.resourceArn, association.association);
  if (usage.deleted) associations.clear(event.streamName);
  points.push(...configurationSampleRows(usage, at, `event:${event.eventId}`));
  if (at < sampledThrough) {
    // The sweep sampled hours after this event before it arrived (the consumer was behind):
    // those hours had this usage, as a replay would write them.
    await deleteHourlySamples(trx, event.streamName, at);
    await writeHourlySamples(trx, event.streamName, usage, at, sampledThrough);
  }
  return { version: event.streamVersion, usage, changedAt: at, sampledThrough };
}
