import { nanos, RetentionPolicy, StorageType, type NatsConnection } from 'nats';
import { ensureStream } from './jetstream-stream';
import { EVENTS_STREAM, EVENTS_SUBJECTS } from './subjects';

/** Creates the JetStream stream of domain events if it does not exist yet (every service calls it). */
export async function ensureEventsStream(nc: NatsConnection): Promise<void> {
  await ensureStream(nc, {
    name: EVENTS_STREAM,
    subjects: [EVENTS_SUBJECTS],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    duplicate_window: nanos(10 * 60_000),
  });
}
