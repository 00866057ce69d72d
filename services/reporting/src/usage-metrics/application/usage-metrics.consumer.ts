import { Injectable } from '@nestjs/common';
import type { DomainEventMessage } from '@lm/contracts';
import type { EventConsumer } from '@lm/service-kit';
import type { Transaction } from 'kysely';
import { evolveUsage, USAGE_EVENT_TYPES } from '../domain/configuration-usage';
import { REPORTING_SCHEMA } from '../../shared/schema';
import { deleteHourlySamples, writeHourlySamples, writeSamples } from './usage-samples';
import type { UsageMetricsViews } from './usage-metrics.views';

const HANDLED = new Set<string>(USAGE_EVENT_TYPES);

/**
 * Follows licensing's events (durable consumer 'reporting-usage-metrics'): keeps each license
 * configuration's usage and writes its gauges at every change, stamped with the event's recording
 * time, and the hourly points of the hours the previous usage held. Everything it writes follows
 * from the events alone, so replaying them rebuilds the same points. The chassis applies each
 * event once (its ledger row is written in the same transaction); the stream version kept with the
 * usage, and the samples keyed by event, make a second delivery harmless besides.
 */
@Injectable()
export class UsageMetricsConsumer implements EventConsumer {
  async handle(event: DomainEventMessage, trx: Transaction<any>): Promise<void> {
    if (event.service !== 'licensing' || !HANDLED.has(event.type)) return;
    const db = (trx as Transaction<UsageMetricsViews>).withSchema(REPORTING_SCHEMA);
    const at = new Date(event.recordedAt);
    const row = await db
      .selectFrom('usage_configurations')
      .selectAll()
      .where('stream_name', '=', event.streamName)
      .forUpdate()
      .executeTakeFirst();
    if (row && row.stream_version >= event.streamVersion) return;
    let sampledThrough = row?.sampled_through ?? at;
    if (row && !row.usage.deleted && at > row.sampled_through) {
      // The usage before this event held until just before it.
      const justBefore = new Date(at.getTime() - 1);
      await writeHourlySamples(trx, event.streamName, row.usage, row.sampled_through, justBefore);
      sampledThrough = justBefore;
    }
    const usage = evolveUsage(row?.usage, event);
    if (!usage) return;
    await writeSamples(trx, usage, at, `event:${event.eventId}`);
    if (at < sampledThrough) {
      // The sweep sampled hours after this event before it arrived (the consumer was behind):
      // those hours had this usage, as a replay would write them.
      await deleteHourlySamples(trx, event.streamName, at);
      await writeHourlySamples(trx, event.streamName, usage, at, sampledThrough);
    }
    const values = {
      account_id: usage.accountId,
      stream_version: event.streamVersion,
      usage: JSON.stringify(usage),
      changed_at: at,
      sampled_through: sampledThrough,
    };
    await db
      .insertInto('usage_configurations')
      .values({ stream_name: event.streamName, ...values })
      .onConflict((oc) => oc.column('stream_name').doUpdateSet(values))
      .execute();
  }
}
