import type { EventStore, RecordedEvent, Subscription } from '@lm/event-store';
import type { NatsConnection } from 'nats';
import { domainEventMessageId, eventSchemaVersion, type DomainEventMessage } from '@lm/contracts';
import { ensureEventsStream } from './jetstream-events-stream';
import { JetStreamPublisher } from './jetstream-publisher';
import { eventSubject } from './subjects';
import { ExactJSONCodec } from './exact-json-codec';

const codec = ExactJSONCodec<DomainEventMessage>();

/** The durable checkpoint of a service's relay in its event store. */
export const EVENT_RELAY_CHECKPOINT = 'relay:jetstream';

/**
 * Publishes awaiting their JetStream ack at once, at most (LM_RELAY_MAX_IN_FLIGHT): enough to
 * keep the connection busy while each ack takes a round trip, few enough that a failure leaves
 * little to publish again.
 */
export const EVENT_RELAY_MAX_IN_FLIGHT = 256;

/** Events read from the store per batch. */
const RELAY_BATCH_SIZE = 500;

/**
 * The relay's checkpoint is stored at most once a second (and when it stops), not after every
 * batch: under load a batch holds a few events, and each store was a commit. A crash publishes
 * again what the relay published since (a second at most), which JetStream drops as duplicates
 * (the events stream's duplicate window is 10 minutes).
 */
export const RELAY_CHECKPOINT_INTERVAL_MS = 1_000;

/**
 * How long the relay waits after a batch before it reads the store again (the subscription's
 * linger): a read, its publishes and their acks cost the service, PostgreSQL and the NATS server
 * about the same for one event as for twenty, and under a steady load it had read again at once and
 * found two or three. The first event after a quiet spell is published at once.
 */
export const RELAY_LINGER_MS = 25;

/**
 * Publishes every event of a service's store to JetStream, in store order, from a durable
 * checkpoint, stamped with its type's schema version. At-least-once: a crash between publish and
 * checkpoint republishes, and the JetStream message id makes the server drop the duplicate.
 *
 * A batch read from the store is published pipelined: up to `maxInFlight` publishes wait for
 * their acks together instead of one round trip per event. They go out on one connection in
 * store order, so JetStream stores them in that order. The checkpoint moves past the batch only
 * once every publish is acknowledged (stored at most once a second: RELAY_CHECKPOINT_INTERVAL_MS); a failure publishes the batch again (the subscription
 * retries it), and what had been stored already is dropped as a duplicate. The events the
 * failed one had been sent before it may then precede it in JetStream: consumers apply each
 * stream in order whatever the delivery order (they already must, since JetStream redelivers an
 * unacknowledged message after later ones).
 *
 * A publish fails when JetStream answers it with an error, when no stream binds its subject, and
 * when its ack does not come in time (JetStreamPublisher).
 */
export async function startEventRelay(options: EventRelayOptions): Promise<Subscription> {
  await ensureEventsStream(options.nc);
  return relayEvents(options);
}

export interface EventRelayOptions {
  service: string;
  store: EventStore;
  nc: NatsConnection;
  /** The schema version of each event type: the service's catalogue in @lm/contracts unless given. */
  schemaVersion?: (type: string) => number;
  /** Publishes awaiting their ack at most; EVENT_RELAY_MAX_IN_FLIGHT unless given. */
  maxInFlight?: number;
}

/**
 * startEventRelay for a caller that has already made sure the events stream exists (the chassis,
 * at start): it cannot fail, so a replica that takes over the relay starts it at once.
 */
export function relayEvents(options: EventRelayOptions): Subscription {
  const { service, store, nc, maxInFlight = EVENT_RELAY_MAX_IN_FLIGHT } = options;
  const schemaVersion = options.schemaVersion ?? ((type: string) => eventSchemaVersion(service, type));
  const publisher = new JetStreamPublisher(nc);
  const publish = (event: RecordedEvent) => {
    const message: DomainEventMessage = {
      service,
      eventId: event.eventId,
      streamName: event.streamName,
      streamVersion: event.streamVersion,
      type: event.type,
      schemaVersion: schemaVersion(event.type),
      data: event.data,
      recordedAt: event.recordedAt.toISOString(),
    };
    return publisher.publish(eventSubject(service, event.type), codec.encode(message), domainEventMessageId(message));
  };
  const subscription = store.subscribe({
    name: EVENT_RELAY_CHECKPOINT,
    batchSize: RELAY_BATCH_SIZE,
    checkpointIntervalMs: RELAY_CHECKPOINT_INTERVAL_MS,
    lingerMs: RELAY_LINGER_MS,
    handler: (events: RecordedEvent[]) => publishPipelined(events, publish, maxInFlight),
  });
  return {
    // A replica starts a relay each time it takes the lease over: each stopped one leaves no
    // subscription of its acks behind.
    stop: async () => {
      await subscription.stop();
      publisher.close();
    },
  };
}

/**
 * Sends the events' publishes in order, at most `maxInFlight` unacknowledged, and resolves once
 * all are acknowledged. After a failure nothing more is sent (what follows it would only be
 * published again); it rejects with that failure once the publishes in flight have settled.
 */
async function publishPipelined(
  events: RecordedEvent[],
  publish: (event: RecordedEvent) => Promise<unknown>,
  maxInFlight: number,
): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  for (const event of events) {
    if (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    if (failure) break;
    const acknowledged: Promise<void> = publish(event).then(
      () => {
        inFlight.delete(acknowledged);
      },
      (error: unknown) => {
        inFlight.delete(acknowledged);
        failure ??= { error };
      },
    );
    inFlight.add(acknowledged);
  }
  await Promise.all(inFlight);
  if (failure) throw failure.error;
}
