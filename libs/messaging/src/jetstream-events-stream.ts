import { nanos, RetentionPolicy, StorageType, type NatsConnection } from 'nats';
import { EVENTS_STREAM, EVENTS_SUBJECTS } from './subjects';

/** Creates the JetStream stream of domain events if it does not exist yet (every service calls it). */
export async function ensureEventsStream(nc: NatsConnection): Promise<void> {
  const jsm = await nc.jetstreamManager();
  try {
    await jsm.streams.info(EVENTS_STREAM);
  } catch {
    try {
      await jsm.streams.add({
        name: EVENTS_STREAM,
        subjects: [EVENTS_SUBJECTS],
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
        duplicate_window: nanos(10 * 60_000),
      });
    } catch (error) {
      // Another service may have created it between our info and add.
      await jsm.streams.info(EVENTS_STREAM).catch(() => {
        throw error;
      });
    }
  }
}
