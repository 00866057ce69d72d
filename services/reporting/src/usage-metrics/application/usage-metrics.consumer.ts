import { Inject, Injectable } from '@nestjs/common';
import type { DomainEventMessage, LicenseConfigurationEventMessage } from '@lm/contracts';
import { CLOCK, type Clock, type EventConsumer } from '@lm/service-kit';
import type { StatementPipeline } from '@lm/event-store';
import type { Transaction } from 'kysely';
import { evolveUsage, isConfigurationEvent, type ConfigurationUsage } from '../domain/configuration-usage';
import { REPORTING_SCHEMA } from '../../shared/schema';
import { BatchAssociations } from './configuration-associations';
import { holdPending, streamsWithPending, takePending } from './pending-events';
import {
  configurationSampleRows,
  deleteHourlySamples,
  insertMetricPoints,
  writeHourlySamples,
  type MetricPointRow,
} from './usage-samples';
import type { UsageMetricsViews } from './usage-metrics.views';

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
 * from the events alone, so replaying them rebuilds the same points.
 *
 * Each stream is applied in its order: JetStream redelivers an event the crashed process had not
 * acknowledged only after later ones, so an event ahead of its stream waits (usage_pending_events)
 * until the one before it is applied (the sweep warns of one that waits too long, and
 * lm_reporting_pending_events counts them). The chassis applies each event once (its ledger row is
 * written in the same transaction), and an event at or below the version applied is skipped too.
 *
 * The chassis hands it the events delivered together: their streams are read (and locked, in the
 * order of their names) in one statement and written back in one, and so are the associations they
 * concern (BatchAssociations), and so are the data points of its events' changes, so that a batch
 * costs a few statements however many events it holds, and the consumer keeps up with licensing
 * however many clients it serves. A stream's usage
 * keeps only what its associations consume, which each event changes by what it changes on its
 * consumption keys: an event costs the same however many resources its configuration has.
 */
@Injectable()
export class UsageMetricsConsumer implements EventConsumer {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  handle(event: DomainEventMessage, trx: Transaction<any>, pipeline: StatementPipeline): Promise<void> {
    return this.handleBatch([event], trx, pipeline);
  }

  async handleBatch(
    events: DomainEventMessage<object>[],
    trx: Transaction<any>,
    pipeline: StatementPipeline,
  ): Promise<void> {
    const configurationEvents = events.filter(isConfigurationEvent);
    if (configurationEvents.length === 0) return;
    const tx = trx as Transaction<UsageMetricsViews>;
    const { streams, waiting } = await readStreams(tx, configurationEvents);
    const associations = new BatchAssociations();
    await associations.read(tx, configurationEvents);
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
    await insertMetricPoints(tx, points, pipeline);
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

/**
 * The streams of the events as applied so far, locked in the order of their names until the
 * transaction ends; and those with an event waiting for an earlier one.
 */
async function readStreams(
  tx: Transaction<UsageMetricsViews>,
  events: LicenseConfigurationEventMessage[],
): Promise<{ streams: Map<string, Followed>; waiting: Set<string> }> {
  const db = tx.withSchema(REPORTING_SCHEMA);
  const names = [...new Set(events.map((event) => event.streamName))].sort();
  const rows = await db
    .selectFrom('usage_configurations')
    .selectAll()
    .where('stream_name', 'in', names)
    .orderBy('stream_name')
    .forUpdate()
    .execute();
  return {
    streams: new Map(
      rows.map((row) => [
        row.stream_name,
        {
          version: row.stream_version,
          usage: row.usage,
          changedAt: row.changed_at,
          sampledThrough: row.sampled_through,
        },
      ]),
    ),
    waiting: await streamsWithPending(tx, names),
  };
}

/** Writes the streams the events changed, in one statement. */
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
    usage: JSON.stringify(stream.usage),
    changed_at: stream.changedAt!,
    sampled_through: stream.sampledThrough!,
  }));
  pipeline.send(
    tx
      .withSchema(REPORTING_SCHEMA)
      .insertInto('usage_configurations')
      .values(rows)
      .onConflict((oc) =>
        oc.column('stream_name').doUpdateSet((eb) => ({
          account_id: eb.ref('excluded.account_id'),
          stream_version: eb.ref('excluded.stream_version'),
          usage: eb.ref('excluded.usage'),
          changed_at: eb.ref('excluded.changed_at'),
          sampled_through: eb.ref('excluded.sampled_through'),
        })),
      ),
  );
}

/**
 * What a batch writes at its end, in a statement each: the associations its events changed, and
 * the data points of each change (one insert for the batch rather than one per event).
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
