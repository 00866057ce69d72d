import type { EventStore, RecordedEvent, Subscription } from '@lm/event-store';
import { JSONCodec, type NatsConnection } from 'nats';
import { domainEventMessageId, eventSchemaVersion, type DomainEventMessage } from '@lm/contracts';
import { ensureEventsStream } from './jetstream-events-stream';
import { eventSubject } from './subjects';

const codec = JSONCodec<DomainEventMessage>();

/** The durable checkpoint of a service's relay in its event store. */
export const EVENT_RELAY_CHECKPOINT = 'relay:jetstream';

/**
 * Publishes every event of a service's store to JetStream, in store order, from a durable
 * checkpoint, stamped with its type's schema version. At-least-once: a crash between publish and
 * checkpoint republishes, and the JetStream message id makes the server drop the duplicate.
 */
export async function startEventRelay(options: {
  service: string;
  store: EventStore;
  nc: NatsConnection;
  /** The schema version of each event type: the service's catalogue in @lm/contracts unless given. */
  schemaVersion?: (type: string) => number;
}): Promise<Subscription> {
  const { service, store, nc } = options;
  const schemaVersion = options.schemaVersion ?? ((type: string) => eventSchemaVersion(service, type));
  await ensureEventsStream(nc);
  const js = nc.jetstream();
  return store.subscribe({
    name: EVENT_RELAY_CHECKPOINT,
    handler: async (events: RecordedEvent[]) => {
      for (const event of events) {
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
        await js.publish(eventSubject(service, event.type), codec.encode(message), {
          msgID: domainEventMessageId(message),
        });
      }
    },
  });
}
