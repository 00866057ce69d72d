import { sql, type Kysely, type Transaction } from 'kysely';
import { AckPolicy, DeliverPolicy, JSONCodec, nanos, type ConsumerMessages, type NatsConnection } from 'nats';
import { domainEventMessageId, type DomainEventMessage } from '@lm/contracts';
import { ensureEventsStream } from './jetstream-events-stream';
import { EVENTS_STREAM } from './subjects';

const codec = JSONCodec<DomainEventMessage>();

/**
 * How long JetStream waits for a durable consumer's ack before delivering the event again (its
 * default, stated so that consumers can reason about redelivery): an event not redelivered after
 * many times this is no longer coming.
 */
export const DURABLE_CONSUMER_ACK_WAIT_MS = 30_000;

/** Events relayed before schema versions were stamped carry none: they are the first version of their type. */
function receivedEvent(data: Uint8Array): DomainEventMessage {
  const event = codec.decode(data);
  return { ...event, schemaVersion: event.schemaVersion ?? 1 };
}

export interface DurableEventConsumerOptions {
  nc: NatsConnection;
  db: Kysely<any>;
  /** Schema of the consuming service: where the processed-message ledger lives. */
  schema: string;
  /** Durable consumer name: replicas of one service share it, so each event goes to one of them. */
  durableName: string;
  /** Subject to receive, e.g. 'lm.events.licensing.>' (one filter: NATS 2.9 servers take no more). */
  filterSubject: string;
  /**
   * Applies one event inside the transaction that also records it as processed. The event's
   * `schemaVersion` says which version of its type's data it carries (upcast an older one).
   */
  handle: (event: DomainEventMessage, trx: Transaction<any>) => Promise<void>;
  /** Called for each event JetStream delivers again (for the chassis's redelivery counter). */
  onRedelivery?: () => void;
}

/**
 * Creates the processed-events ledger if it is missing. Replicas starting at once on a new
 * database would race to create it (`if not exists` does not stop two creators): a
 * transaction-scoped advisory lock on the schema name serialises them.
 */
export async function migrateProcessedEvents(db: Kysely<any>, schema: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`processed-events-migration:${schema}`}, 0))`.execute(
      trx,
    );
    await sql`create schema if not exists ${sql.id(schema)}`.execute(trx);
    await sql`create table if not exists ${sql.id(schema, 'processed_events')} (
      consumer text not null,
      message_id text not null,
      processed_at timestamptz not null default now(),
      primary key (consumer, message_id)
    )`.execute(trx);
  });
}

/**
 * Consumes domain events from JetStream with a durable consumer. Each event is applied in
 * one transaction together with a row in the processed-events ledger, so a redelivered event
 * (after a crash before the ack, or a duplicate publish) is recognised and not applied twice.
 */
export async function startDurableEventConsumer(
  options: DurableEventConsumerOptions,
): Promise<{ stop(): Promise<void> }> {
  const { nc, db, schema, durableName, filterSubject, handle, onRedelivery } = options;
  await ensureEventsStream(nc);
  await migrateProcessedEvents(db, schema);
  const jsm = await nc.jetstreamManager();
  const config = {
    durable_name: durableName,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(DURABLE_CONSUMER_ACK_WAIT_MS),
    filter_subject: filterSubject,
    max_deliver: -1,
  };
  try {
    await jsm.consumers.info(EVENTS_STREAM, durableName);
    await jsm.consumers.update(EVENTS_STREAM, durableName, { filter_subject: filterSubject });
  } catch {
    await jsm.consumers.add(EVENTS_STREAM, config);
  }
  const consumer = await nc.jetstream().consumers.get(EVENTS_STREAM, durableName);
  const messages: ConsumerMessages = await consumer.consume();
  const done = (async () => {
    for await (const message of messages) {
      if (message.redelivered) onRedelivery?.();
      const event = receivedEvent(message.data);
      try {
        await db.transaction().execute(async (trx) => {
          const inserted = await sql`insert into ${sql.id(schema, 'processed_events')} (consumer, message_id)
            values (${durableName}, ${domainEventMessageId(event)}) on conflict do nothing`.execute(trx);
          if (Number(inserted.numAffectedRows ?? 0) === 0) return;
          await handle(event, trx);
        });
        message.ack();
      } catch (error) {
        console.error(`[${durableName}] event ${event.type} failed, redelivering: ${(error as Error).message}`);
        message.nak(1_000);
      }
    }
  })();
  return {
    async stop() {
      await messages.close();
      await done;
    },
  };
}
