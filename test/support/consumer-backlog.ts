import { domainEventMessageId, type DomainEventMessage } from '@lm/contracts';
import { eventsStreamName } from '@lm/messaging';
import { JSONCodec, type JetStreamManager } from 'nats';
import { withSystemDatabase } from './crash';
import type { RunningSystem } from './system';

const codec = JSONCodec<DomainEventMessage>();

/** A durable consumer of a service of the system: its name, its subject filter, and the schema of its ledger. */
export interface DurableConsumer {
  durableName: string;
  /** The name of its handler's rows in the processed-events ledger, when it is one of several sharing the consumer. */
  ledgerName?: string;
  /** The events it takes, as a subject of the system's namespace, e.g. `events.licensing.>`. */
  filter: string;
  schema: string;
}

const subjectOf = (system: RunningSystem, filter: string) => `lm.${system.natsNamespace}.${filter}`;

/** Whether a subject matches a NATS filter (`*` one token, `>` the rest). */
function matches(subject: string, filter: string): boolean {
  const tokens = subject.split('.');
  const wanted = filter.split('.');
  for (let i = 0; i < wanted.length; i++) {
    if (wanted[i] === '>') return tokens.length > i;
    if (tokens[i] === undefined || (wanted[i] !== '*' && wanted[i] !== tokens[i])) return false;
  }
  return tokens.length === wanted.length;
}

/** The events JetStream holds for a consumer that it has not acknowledged yet: waiting for it or delivered to it. */
export async function backlogOf(jsm: JetStreamManager, system: RunningSystem, consumer: DurableConsumer) {
  const info = await jsm.consumers.info(eventsStreamName(system.natsNamespace), consumer.durableName);
  return info.num_pending + info.num_ack_pending;
}

/**
 * Waits until every durable consumer of the system has applied every event JetStream holds for it,
 * seen on two reads a second apart (an event a consumer applies may make its service append more,
 * which its relay publishes a moment later). Throws once `timeoutMs` pass without the backlog
 * getting smaller: a consumer that stopped, not one still draining what a long load left it (the
 * soak's inventory consumer, one event a transaction, ends ten minutes of load thousands behind).
 */
export async function untilConsumersCaughtUp(jsm: JetStreamManager, system: RunningSystem, timeoutMs: number) {
  const stream = eventsStreamName(system.natsNamespace);
  let deadline = Date.now() + timeoutMs;
  let smallest = Infinity;
  let idleReads = 0;
  while (idleReads < 2) {
    let backlog = 0;
    for await (const info of jsm.consumers.list(stream)) backlog += info.num_pending + info.num_ack_pending;
    idleReads = backlog === 0 ? idleReads + 1 : 0;
    if (backlog < smallest) [smallest, deadline] = [backlog, Date.now() + timeoutMs];
    if (Date.now() > deadline)
      throw new Error(`the system's consumers still had ${backlog} events, and no fewer for ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/**
 * The events of these types in the stream up to `lastSequence` (as it was before a crash) that the
 * consumer had not applied: not in its service's processed-events ledger, which is written in the
 * transaction that applies an event. Asked once the service is dead, it tells what the crash caught.
 */
export async function eventsNotApplied(
  jsm: JetStreamManager,
  system: RunningSystem,
  consumer: DurableConsumer,
  lastSequence: number,
  types: string[],
): Promise<DomainEventMessage[]> {
  const stream = eventsStreamName(system.natsNamespace);
  const filter = subjectOf(system, consumer.filter);
  // Everything up to the ack floor was applied: an event is acknowledged after its transaction.
  const { ack_floor } = await jsm.consumers.info(stream, consumer.durableName);
  const candidates: DomainEventMessage[] = [];
  for (let seq = ack_floor.stream_seq + 1; seq <= lastSequence; seq++) {
    const message = await jsm.streams.getMessage(stream, { seq });
    if (!matches(message.subject, filter)) continue;
    const event = codec.decode(message.data);
    if (types.includes(event.type)) candidates.push(event);
  }
  const applied = await withSystemDatabase(system, async (db) =>
    db.query<{ message_id: string }>(
      `select message_id from ${consumer.schema}.processed_events where consumer = $1 and message_id = any($2)`,
      [consumer.ledgerName ?? consumer.durableName, candidates.map(domainEventMessageId)],
    ),
  );
  const appliedIds = new Set(applied.rows.map((row) => row.message_id));
  return candidates.filter((event) => !appliedIds.has(domainEventMessageId(event)));
}
