import { Inject, Injectable } from '@nestjs/common';
import type { DomainEventMessage } from '@lm/contracts';
import { CLOCK, type Clock, type EventConsumer } from '@lm/service-kit';
import type { Transaction } from 'kysely';
import {
  accountsChangedBy,
  evolveEntitlementUsage,
  isEntitlementUsageEvent,
  licenceIdOfStream,
  licenceStreamOf,
  type LicenceEntitlementUsage,
} from '../domain/entitlement-usage';
import { REPORTING_SCHEMA } from '../../shared/schema';
import { licenceStreamName, writeEntitlementSamples, writeHourlyEntitlementSamples } from './entitlement-samples';
import type { EntitlementUsageViews } from './entitlement-usage.views';
import { deleteHourlySamples } from './usage-samples';
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
  stream === 'licence' ? licenceStreamName(licenseId) : `license-usage-${licenseId}`;

/**
 * Follows grants' licence and usage events (durable consumer 'reporting-entitlement-usage'): keeps
 * each seller-issued licence's entitlement usage and writes the points of the accounts that see
 * it (the seller, each root buyer, each consuming account) at every change of theirs, stamped with
 * the event's recording time, and the hourly points of the hours the previous usage held. Everything
 * it writes follows from the events alone, so replaying them rebuilds the same points.
 *
 * As the configuration metrics do, each stream is applied in its order (an event ahead of its
 * stream waits in usage_pending_events), and a usage event also waits for its licence's creation,
 * which names the seller and the entitlements.
 */
@Injectable()
export class EntitlementUsageConsumer implements EventConsumer {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  async handle(event: DomainEventMessage, trx: Transaction<any>): Promise<void> {
    const stream = licenceStreamOf(event);
    if (!stream) return;
    const tx = trx as Transaction<EntitlementUsageViews>;
    const db = tx.withSchema(REPORTING_SCHEMA);
    const licenseId = licenceIdOfStream(event.streamName);
    // The row exists before it is locked, so that the licence's two streams queue on it.
    await db
      .insertInto('entitlement_usage_licences')
      .values({ license_id: licenseId })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const row = await db
      .selectFrom('entitlement_usage_licences')
      .selectAll()
      .where('license_id', '=', licenseId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    let followed: Followed = {
      licenseId,
      licence: row.license_stream_version,
      usage: row.usage_stream_version,
      state: row.usage ?? undefined,
      sampledThrough: row.sampled_through ?? undefined,
    };
    if (event.streamVersion <= followed[stream]) return;
    if (!isNext(followed, stream, event.streamVersion)) {
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
    followed = await apply(tx, followed, stream, event);
    followed = await applyWaiting(tx, followed);
    await db
      .updateTable('entitlement_usage_licences')
      .set({
        license_stream_version: followed.licence,
        usage_stream_version: followed.usage,
        ...(followed.state ? { usage: JSON.stringify(followed.state) } : {}),
        ...(followed.sampledThrough ? { sampled_through: followed.sampledThrough } : {}),
      })
      .where('license_id', '=', licenseId)
      .execute();
  }
}

/** Whether an event is the next of its stream (a usage event also needs the licence's creation applied). */
function isNext(followed: Followed, stream: Stream, version: number): boolean {
  return version === followed[stream] + 1 && (stream === 'licence' || followed.state !== undefined);
}

/** The events of either stream that were waiting for those applied, as long as one is next. */
async function applyWaiting(tx: Transaction<EntitlementUsageViews>, followed: Followed): Promise<Followed> {
  const db = tx.withSchema(REPORTING_SCHEMA);
  for (;;) {
    const next = (['licence', 'usage'] as const).filter((stream) => isNext(followed, stream, followed[stream] + 1));
    let applied = false;
    for (const stream of next) {
      const waiting = await db
        .deleteFrom('usage_pending_events')
        .where('stream_name', '=', streamNameOf(followed.licenseId, stream))
        .where('stream_version', '=', followed[stream] + 1)
        .returning('event')
        .executeTakeFirst();
      if (!waiting) continue;
      followed = await apply(tx, followed, stream, waiting.event);
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
  await writeEntitlementSamples(trx, state, at, `event:${event.eventId}`, accountsChangedBy(previous, event));
  if (at < sampledThrough) {
    // The sweep sampled hours after this event before it arrived: those hours had this usage.
    await deleteHourlySamples(trx, licenceStreamName(followed.licenseId), at);
    await writeHourlyEntitlementSamples(trx, followed.licenseId, state, at, sampledThrough);
  }
  return { ...advanced, state, sampledThrough };
}
