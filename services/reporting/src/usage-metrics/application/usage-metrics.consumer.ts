import { Inject, Injectable } from '@nestjs/common';
import type { DomainEventMessage, LicenseConfigurationEventMessage } from '@lm/contracts';
import { CLOCK, type Clock, type EventConsumer } from '@lm/service-kit';
import type { Transaction } from 'kysely';
import { evolveUsage, isConfigurationEvent, type ConfigurationUsage } from '../domain/configuration-usage';
import { REPORTING_SCHEMA } from '../../shared/schema';
import { deleteHourlySamples, writeHourlySamples, writeSamples } from './usage-samples';
import type { UsageMetricsViews } from './usage-metrics.views';

/** A configuration's stream as far as it was applied. */
interface Followed {
  version: number;
  usage?: ConfigurationUsage;
  changedAt?: Date;
  sampledThrough?: Date;
}

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
 */
@Injectable()
export class UsageMetricsConsumer implements EventConsumer {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  async handle(event: DomainEventMessage, trx: Transaction<any>): Promise<void> {
    if (!isConfigurationEvent(event)) return;
    const tx = trx as Transaction<UsageMetricsViews>;
    const db = tx.withSchema(REPORTING_SCHEMA);
    const row = await db
      .selectFrom('usage_configurations')
      .selectAll()
      .where('stream_name', '=', event.streamName)
      .forUpdate()
      .executeTakeFirst();
    let stream: Followed = row
      ? {
          version: row.stream_version,
          usage: row.usage,
          changedAt: row.changed_at,
          sampledThrough: row.sampled_through,
        }
      : { version: 0 };
    if (event.streamVersion <= stream.version) return;
    if (event.streamVersion > stream.version + 1) {
      await db
        .insertInto('usage_pending_events')
        .values({
          stream_name: event.streamName,
          stream_version: event.streamVersion,
          event: JSON.stringify(event),
          pending_since: this.clock.now(),
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
      return;
    }
    stream = await apply(tx, stream, event);
    for (;;) {
      const waiting = await db
        .deleteFrom('usage_pending_events')
        .where('stream_name', '=', event.streamName)
        .where('stream_version', '=', stream.version + 1)
        .returning('event')
        .executeTakeFirst();
      if (!waiting) break;
      stream = await apply(tx, stream, waiting.event);
    }
    if (!stream.usage) return;
    const values = {
      account_id: stream.usage.accountId,
      stream_version: stream.version,
      usage: JSON.stringify(stream.usage),
      changed_at: stream.changedAt!,
      sampled_through: stream.sampledThrough!,
    };
    await db
      .insertInto('usage_configurations')
      .values({ stream_name: event.streamName, ...values })
      .onConflict((oc) => oc.column('stream_name').doUpdateSet(values))
      .execute();
  }
}

/** One event, the next of its stream: the hours the usage held before it, then its own samples. */
async function apply(
  trx: Transaction<UsageMetricsViews>,
  stream: Followed,
  event: LicenseConfigurationEventMessage,
): Promise<Followed> {
  const at = new Date(event.recordedAt);
  let sampledThrough = stream.sampledThrough ?? at;
  if (stream.usage && !stream.usage.deleted && at > sampledThrough) {
    // The usage before this event held until just before it.
    const justBefore = new Date(at.getTime() - 1);
    await writeHourlySamples(trx, event.streamName, stream.usage, sampledThrough, justBefore);
    sampledThrough = justBefore;
  }
  const usage = evolveUsage(stream.usage, event);
  if (!usage) return { ...stream, version: event.streamVersion, sampledThrough };
  await writeSamples(trx, usage, at, `event:${event.eventId}`);
  if (at < sampledThrough) {
    // The sweep sampled hours after this event before it arrived (the consumer was behind):
    // those hours had this usage, as a replay would write them.
    await deleteHourlySamples(trx, event.streamName, at);
    await writeHourlySamples(trx, event.streamName, usage, at, sampledThrough);
  }
  return { version: event.streamVersion, usage, changedAt: at, sampledThrough };
}
