import { sql, type Kysely, type Transaction } from 'kysely';
import {
  AckPolicy,
  DeliverPolicy,
  nanos,
  type ConsumerConfig,
  type JetStreamManager,
  type JsMsg,
  type NatsConnection,
} from 'nats';
import { domainEventMessageId, type DomainEventMessage } from '@lm/contracts';
import { inPipelinedTransaction, type StatementPipeline } from '@lm/event-store';
import { filterConfig, narrowedSubjects, takesSeveralFilters } from './consumer-filters';
import { DeliveryQueue } from './delivery-queue';
import { ensureEventsStream } from './jetstream-events-stream';
import { EVENTS_STREAM, eventTypeOfSubject } from './subjects';
import { ExactJSONCodec } from './exact-json-codec';

const codec = ExactJSONCodec<DomainEventMessage>();

/**
 * How long JetStream waits for a durable consumer's ack before delivering the event again (its
 * default, stated so that consumers can reason about redelivery; LM_CONSUMER_ACK_WAIT_MS sets it
 * for a service): an event not redelivered after many times this is no longer coming.
 */
export const DURABLE_CONSUMER_ACK_WAIT_MS = 30_000;

/** Events relayed before schema versions were stamped carry none: they are the first version of their type. */
function receivedEvent(data: Uint8Array): DomainEventMessage {
  const event = codec.decode(data);
  return { ...event, schemaVersion: event.schemaVersion ?? 1 };
}

/**
 * How many delivered events a durable consumer applies in one transaction at most: enough that the
 * commit and a batch's own statements are shared by many events when a backlog builds or a load
 * is steady (see DURABLE_CONSUMER_LINGER_MS), few enough that a transaction stays short: it holds
 * its row locks, a failing batch is applied again one event at a time, and while it is open every
 * PostgreSQL event store on the server reads no further than it (their readers stop at the oldest
 * open transaction), relays included. Reporting's statements for a batch of about forty new
 * configurations took about 6 ms on two busy cores (pg_stat_statements under bench:profile).
 * LM_CONSUMER_BATCH_SIZE sets it for a service (docs/operations.md).
 */
export const DURABLE_CONSUMER_BATCH_SIZE = 100;

/**
 * How many batches' worth of events JetStream delivers ahead of the one being applied, at most
 * (the consumer's max_ack_pending is this many times its batch size). The client pulls on as
 * messages arrive, not as they are applied: without this bound, a consumer slower than its
 * producers queued every event in memory (thousands in licensing under the soak), and each one
 * still queued after the ack wait was delivered again and queued a second time. Ten batches keep
 * the queue full between batches while each event waits seconds, not the ack wait, to be applied.
 */
export const DURABLE_CONSUMER_BATCHES_AHEAD = 10;

/**
 * How long a consumer that applies batches waits, once an event is delivered and fewer than a
 * batch are there, for more to share its transaction. Under a steady load events came a few
 * milliseconds apart and a transaction took a few milliseconds: each applied two or three, and paid
 * its commit, its ledger insert and its round trips for them. At 20 ms, reporting's batches under
 * 800 creates a second held about ten events, and its own CPU and its sessions' PostgreSQL CPU came
 * to about 650 µs a Create; at 50 ms about forty, and 470 µs (docs/performance.md, item 62). A view
 * fed by a consumer shows an event this much later at most: CloudWatch's metrics and CloudTrail's
 * records, which reporting's views stand for, arrive minutes after the call.
 */
export const DURABLE_CONSUMER_LINGER_MS = 50;

/**
 * What a durable consumer does with the events it receives, one at a time or a batch at a time,
 * inside the transaction that also records them as processed. An event's `schemaVersion` says
 * which version of its type's data it carries (upcast an older one). A write whose answer it does
 * not read can go through `pipeline`, out with the commit.
 */
type Applies =
  | { handle: (event: DomainEventMessage, trx: Transaction<any>, pipeline: StatementPipeline) => Promise<void> }
  | {
      /**
       * Applies the events of a batch not applied before, in delivery order, in one call: for a
       * handler that reads and writes the state of all of them in a few statements rather than a
       * few per event. An event applied alone (after its batch failed) is a batch of one.
       */
      handleBatch: (events: DomainEventMessage[], trx: Transaction<any>, pipeline: StatementPipeline) => Promise<void>;
    };

/** A view a durable consumer keeps from the events it receives. */
export type EventApplier = Applies & {
  /**
   * The only event types the handler applies, when the subject brings others: an event no applier
   * of the consumer takes is not delivered (NATS 2.10 and later, narrowedSubjects), or is
   * acknowledged on delivery, without a transaction or a ledger row (applying it would change
   * nothing). Every event of the subject otherwise.
   */
  eventTypes?: readonly string[];
};

/** One of several appliers sharing a durable consumer. */
export type NamedEventApplier = EventApplier & {
  /**
   * Its rows' name in the processed-events ledger. When it had a durable consumer of its own, that
   * consumer's name: the shared one starts where the replaced ones had got to (see
   * startDurableEventConsumer) and each applier skips what its ledger shows it applied.
   */
  ledgerName: string;
};

interface ConsumerOptions {
  nc: NatsConnection;
  db: Kysely<any>;
  /** Schema of the consuming service: where the processed-message ledger lives. */
  schema: string;
  /** Durable consumer name: replicas of one service share it, so each event goes to one of them. */
  durableName: string;
  /**
   * Subject to receive, e.g. 'lm.events.licensing.>'. Of a service's every event, on NATS 2.10 and
   * later, it is narrowed to the types the appliers name (narrowedSubjects).
   */
  filterSubject: string;
  /**
   * At most this many events already delivered are applied in one transaction (default
   * DURABLE_CONSUMER_BATCH_SIZE). 1 for a handler that needs the previous event committed, e.g.
   * one that runs commands outside the transaction which read what that event wrote.
   */
  batchSize?: number;
  /**
   * With a batch size of 1: the events of how many streams are applied at once at most (default
   * 1), each in its own transaction, those of one stream one after the other in delivery order.
   * For a handler whose events wait on round trips more than on the CPU (commands run outside its
   * transaction): one at a time, licensing's inventory consumer applied about 20 events a second
   * under a mixed load at 16 clients while discovery recorded 100 (docs/performance.md, item 70).
   * Events of different streams then apply out of their delivery order, as they do on two replicas.
   */
  lanes?: number;
  /** How long JetStream waits for the ack of a delivered event before delivering it again (default DURABLE_CONSUMER_ACK_WAIT_MS). */
  ackWaitMs?: number;
  /** Called for each event JetStream delivers again (for the chassis's redelivery counter). */
  onRedelivery?: () => void;
}

/**
 * A consumer with one applier, whose ledger rows bear the consumer's name; or one shared by
 * several appliers of the same subject, which each event reaches in one delivery, one
 * acknowledgement and one transaction rather than one each (they succeed or fail together).
 */
export type DurableEventConsumerOptions = ConsumerOptions & (EventApplier | { appliers: readonly NamedEventApplier[] });

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
 * Consumes domain events from JetStream with a durable consumer. The events delivered and not yet
 * applied are applied together, up to `batchSize`, in delivery order, in one transaction that also
 * writes their rows in the processed-events ledger, so a redelivered event (after a crash before
 * the ack, or a duplicate publish) is recognised and not applied twice; they are acknowledged once
 * it commits. If that transaction fails, each of its events is applied again in its own
 * transaction, so that one failing event is refused (and redelivered a second later) alone.
 *
 * A transaction of several events locks what each of them locks until it commits, in the order of
 * its events: two replicas applying batches in different orders could each wait for the other. So
 * every transaction of a consumer that batches first takes a lock of its own (an advisory lock on
 * its name): the replicas apply its events one transaction at a time, and never wait for each other
 * while holding a lock of an event.
 *
 * Several appliers of one subject can share the consumer (`appliers`): every event JetStream
 * stores is delivered, acknowledged and stored in the ledger once per consumer that receives it,
 * and the server, the network and the service pay for each, whether or not anything applies it.
 * Each applier keeps its own ledger rows, so a consumer that replaces several (a new name, their
 * names as the appliers' ledger names) starts where the furthest behind had got to, and removes
 * them, without applying anything twice or missing anything.
 */
export async function startDurableEventConsumer(
  options: DurableEventConsumerOptions,
): Promise<{ stop(): Promise<void> }> {
  const { nc, db, schema, durableName, filterSubject, onRedelivery } = options;
  const appliers: readonly NamedEventApplier[] =
    'appliers' in options ? options.appliers : [{ ...options, ledgerName: durableName }];
  const typesOf = appliers.map((applier) => applier.eventTypes && new Set(applier.eventTypes));
  const takes = (i: number, type: string) => typesOf[i]?.has(type) ?? true;
  const batchSize = options.batchSize ?? DURABLE_CONSUMER_BATCH_SIZE;
  const lanes = batchSize === 1 ? (options.lanes ?? 1) : 1;
  const maxAckPending = Math.max(batchSize, lanes) * DURABLE_CONSUMER_BATCHES_AHEAD;
  await ensureEventsStream(nc);
  await migrateProcessedEvents(db, schema);
  const jsm = await nc.jetstreamManager();
  const narrowed = narrowedSubjects(
    filterSubject,
    appliers.map((applier) => applier.eventTypes),
  );
  // A server before 2.10 takes one filter: the subject as given, every event of it delivered.
  const subjects = takesSeveralFilters(nc.info?.version) ? narrowed : [filterSubject];
  if (String(subjects) !== String(narrowed))
    console.warn(
      `[${durableName}] NATS ${nc.info?.version} takes one subject filter per consumer: every event of ${filterSubject} is delivered, and those no applier takes are acknowledged unapplied (2.10 and later deliver only theirs)`,
    );
  const filters = filterConfig(subjects);
  const config = {
    durable_name: durableName,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(options.ackWaitMs ?? DURABLE_CONSUMER_ACK_WAIT_MS),
    ...filters,
    max_deliver: -1,
    max_ack_pending: maxAckPending,
  };
  try {
    await jsm.consumers.info(EVENTS_STREAM, durableName);
    await jsm.consumers.update(EVENTS_STREAM, durableName, {
      ...filters,
      ack_wait: config.ack_wait,
      max_ack_pending: maxAckPending,
    });
  } catch {
    const replaced = appliers.map((applier) => applier.ledgerName).filter((name) => name !== durableName);
    await addConsumer(jsm, { ...config, ...(await startAfter(jsm, replaced)) });
    await Promise.all(replaced.map((name) => jsm.consumers.delete(EVENTS_STREAM, name).catch(() => false)));
  }

  const ledger = sql.id(schema, 'processed_events');
  const consumerLock = `durable-consumer:${schema}:${durableName}`;
  /** Applies the events in one transaction: to each applier, those its ledger rows show it has not applied, in their order. */
  const applyTogether = (events: DomainEventMessage[]) =>
    inPipelinedTransaction(db, async (trx, pipeline) => {
      // Its name as a literal: a statement without parameters travels with the transaction's begin (one round trip).
      if (batchSize > 1)
        await sql`select pg_advisory_xact_lock(hashtextextended(${sql.lit(consumerLock)}, 0))`.execute(trx);
      const ids = events.map(domainEventMessageId);
      const rows = appliers.flatMap((applier, i) =>
        events.flatMap((event, e) => (takes(i, event.type) ? [[applier.ledgerName, ids[e]]] : [])),
      );
      const inserted = await sql<{ consumer: string; message_id: string }>`insert into ${ledger} (consumer, message_id)
        select * from unnest(${rows.map(([name]) => name)}::text[], ${rows.map(([, id]) => id)}::text[])
        on conflict do nothing returning consumer, message_id`.execute(trx);
      const unseen = new Set(inserted.rows.map((row) => `${row.consumer}\n${row.message_id}`));
      for (const [i, applier] of appliers.entries()) {
        // An id twice in one batch (a duplicate publish) is applied at its first place only.
        const fresh = events.filter(
          (event, e) => takes(i, event.type) && unseen.delete(`${applier.ledgerName}\n${ids[e]}`),
        );
        if ('handleBatch' in applier) {
          if (fresh.length > 0) await applier.handleBatch(fresh, trx, pipeline);
        } else for (const event of fresh) await applier.handle(event, trx, pipeline);
      }
    });
  const applyDelivered = async (batch: JsMsg[]) => {
    const events = batch.map((message) => {
      if (message.redelivered) onRedelivery?.();
      return receivedEvent(message.data);
    });
    if (batch.length > 1) {
      try {
        await applyTogether(events);
        for (const message of batch) message.ack();
        return;
      } catch (error) {
        console.warn(
          `[${durableName}] a batch of ${batch.length} events failed (${(error as Error).message}): applying them one at a time`,
        );
      }
    }
    for (const [i, message] of batch.entries()) {
      try {
        await applyTogether([events[i]]);
        message.ack();
      } catch (error) {
        console.error(`[${durableName}] event ${events[i].type} failed, redelivering: ${(error as Error).message}`);
        message.nak(1_000);
      }
    }
  };

  const delivered = new DeliveryQueue<JsMsg>();
  const consumer = await nc.jetstream().consumers.get(EVENTS_STREAM, durableName);
  const messages = await consumer.consume({
    callback: (message) => {
      const type = eventTypeOfSubject(message.subject);
      if (!appliers.some((_, i) => takes(i, type))) message.ack();
      else delivered.push(message);
    },
  });
  let stopping = false;
  const done = (async () => {
    if (lanes > 1) await applyInLanes(delivered, lanes, () => stopping, applyDelivered);
    else {
      const lingerMs = batchSize > 1 ? DURABLE_CONSUMER_LINGER_MS : 0;
      while (!stopping) await applyDelivered(await delivered.take(batchSize, lingerMs));
    }
    // Not applied here: JetStream delivers them again at once, to another replica or after the restart.
    for (const message of delivered.drain()) message.nak();
  })();
  return {
    async stop() {
      await messages.close();
      stopping = true;
      delivered.release();
      await done;
    },
  };
}

/**
 * Applies the delivered events, each after the one before it of its stream (the stream name
 * travels in the event's message), the events of up to `lanes` streams at once, until `stopped`;
 * returns once those started are applied.
 */
async function applyInLanes(
  delivered: DeliveryQueue<JsMsg>,
  lanes: number,
  stopped: () => boolean,
  apply: (batch: JsMsg[]) => Promise<void>,
): Promise<void> {
  const running = new Set<Promise<void>>();
  /** The last event started of each stream with one running: the streams in the lanes. */
  const lastOf = new Map<string, Promise<void>>();
  while (!stopped()) {
    const [message] = await delivered.take(1);
    if (!message) continue;
    const stream = streamOf(message);
    while (!lastOf.has(stream) && lastOf.size >= lanes) await Promise.race(running);
    const before = lastOf.get(stream);
    const start = () => apply([message]);
    const applied: Promise<void> = (before ? before.then(start, start) : start()).finally(() => {
      running.delete(applied);
      if (lastOf.get(stream) === applied) lastOf.delete(stream);
    });
    running.add(applied);
    lastOf.set(stream, applied);
  }
  await Promise.all(running);
}

/** The stream of a delivered event: its message carries it (an unreadable one shares one lane, ''). */
function streamOf(message: JsMsg): string {
  try {
    return codec.decode(message.data).streamName ?? '';
  } catch {
    return '';
  }
}

/**
 * Where a new durable consumer starts: at the first event that one of the consumers it replaces
 * had not acknowledged in order (its ack floor), or at the stream's start when one of them is
 * missing (a new deployment, or a view being rebuilt, reads the whole history). Events from there
 * that an applier had applied are skipped by its ledger rows.
 */
async function startAfter(
  jsm: JetStreamManager,
  replaced: readonly string[],
): Promise<{ deliver_policy: DeliverPolicy; opt_start_seq?: number }> {
  const floors = await Promise.all(
    replaced.map((name) =>
      jsm.consumers.info(EVENTS_STREAM, name).then(
        (info) => info.ack_floor.stream_seq,
        () => 0,
      ),
    ),
  );
  const first = Math.min(...floors) + 1;
  return replaced.length === 0 || first <= 1
    ? { deliver_policy: DeliverPolicy.All }
    : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: first };
}

/** Adds the consumer; replicas starting together may race to: the one that finds it added already goes on with it. */
async function addConsumer(jsm: JetStreamManager, config: Partial<ConsumerConfig>): Promise<void> {
  try {
    await jsm.consumers.add(EVENTS_STREAM, config);
  } catch (error) {
    await jsm.consumers.info(EVENTS_STREAM, config.durable_name!).catch(() => Promise.reject(error));
  }
}
