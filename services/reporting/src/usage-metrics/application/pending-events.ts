import { stringifyExactJson, type DomainEventMessage } from '@lm/contracts';
import { sql, type Kysely, type Transaction } from 'kysely';
import { REPORTING_SCHEMA } from '../../shared/schema';
import { licenceStreamName, usageStreamName } from './entitlement-samples';
import type { EntitlementUsageViews } from './entitlement-usage.views';

/**
 * The events that came ahead of their stream, of licensing's configurations and grants' licences
 * alike (usage_pending_events): JetStream redelivers an event a crashed process had not
 * acknowledged only after later ones, so each consumer holds an event here until what it waits for
 * is applied, then takes it back in the same transaction.
 */
type PendingEventsViews = Pick<EntitlementUsageViews, 'usage_pending_events' | 'entitlement_usage_licences'>;

const pendingEvents = (trx: Transaction<any> | Kysely<any>) =>
  (trx as Kysely<PendingEventsViews>).withSchema(REPORTING_SCHEMA);

/** Holds an event until the events before it are applied; an event held already stays as it was. */
export async function holdPending(
  trx: Transaction<any>,
  event: DomainEventMessage<object>,
  since: Date,
): Promise<void> {
  await pendingEvents(trx)
    .insertInto('usage_pending_events')
    .values({
      stream_name: event.streamName,
      stream_version: event.streamVersion,
      event: stringifyExactJson(event),
      pending_since: since,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** The held event of a stream at a version, no longer held; undefined when none is. */
export async function takePending<Event extends DomainEventMessage<object>>(
  trx: Transaction<any>,
  streamName: string,
  streamVersion: number,
): Promise<Event | undefined> {
  const taken = await pendingEvents(trx)
    .deleteFrom('usage_pending_events')
    .where('stream_name', '=', streamName)
    .where('stream_version', '=', streamVersion)
    .returning('event')
    .executeTakeFirst();
  return taken?.event as Event | undefined;
}

/** An event held since before some instant, and what it waits for. */
export interface LongWait {
  streamName: string;
  streamVersion: number;
  pendingSince: Date;
  /** `version <n - 1> or an earlier one`, or the creation of its licence (a licence's usage event). */
  waitsFor: string;
}

/** The events held since before `before`, longest first (then by stream and version). */
export async function longWaits(db: Kysely<any>, before: Date): Promise<LongWait[]> {
  const rows = await pendingEvents(db)
    .selectFrom('usage_pending_events as pending')
    // A usage event of a licence whose creation was not applied waits for that first (see EntitlementUsageConsumer).
    .leftJoin('entitlement_usage_licences as licence', (join) =>
      join.on(sql<boolean>`pending.stream_name = ${usageStreamName('')} || licence.license_id`),
    )
    .select(['pending.stream_name', 'pending.stream_version', 'pending.pending_since', 'licence.license_id'])
    .select(sql<boolean>`licence.license_id is not null and licence.usage is null`.as('awaits_creation'))
    .where('pending.pending_since', '<', before)
    .orderBy('pending.pending_since')
    .orderBy('pending.stream_name')
    .orderBy('pending.stream_version')
    .execute();
  return rows.map((row) => ({
    streamName: row.stream_name,
    streamVersion: row.stream_version,
    pendingSince: row.pending_since,
    waitsFor: row.awaits_creation
      ? `the creation of its licence (${licenceStreamName(row.license_id!)})`
      : `version ${row.stream_version - 1} or an earlier one`,
  }));
}
