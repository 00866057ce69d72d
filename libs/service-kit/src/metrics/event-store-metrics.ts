import {
  eventStoreCounters,
  ExpectedVersionConflictError,
  type EventStore,
  type NewEvent,
  type StreamAppend,
} from '@lm/event-store';
import { Counter, Histogram, type Registry } from 'prom-client';

/** Appends take milliseconds; a slow one (lock waits, a busy database) shows in the upper buckets. */
const APPEND_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * The event store a service's classes are given, timing every append: the same store, with
 * `lm_event_store_append_duration_seconds{outcome}` observed around `append`,
 * `appendToStreams` and `decideUnderLock` (its lock wait included), and `lm_event_store_version_conflicts_total` counting the appends refused
 * because another writer got to one of their streams first. The event-store library stays free
 * of a metrics client: the chassis measures at the port.
 */
export function instrumentEventStore(store: EventStore, registry: Registry): EventStore {
  const duration = new Histogram({
    name: 'lm_event_store_append_duration_seconds',
    help: 'Time to append to the event store (one transaction, inline projections and guards included), by outcome: ok, conflict (expected version not met) or error.',
    labelNames: ['outcome'],
    buckets: APPEND_BUCKETS,
    registers: [registry],
  });
  const conflicts = new Counter({
    name: 'lm_event_store_version_conflicts_total',
    help: 'Appends refused because a stream was no longer at the expected version (another writer appended first).',
    registers: [registry],
  });
  new Counter({
    name: 'lm_event_store_conflict_retries_total',
    help: 'Decisions taken again on fresh state after a version conflict.',
    registers: [registry],
    // The library counts process-wide; read at each scrape.
    collect() {
      this.reset();
      this.inc(eventStoreCounters.versionConflictRetries);
    },
  });
  const timed = async <T>(append: () => Promise<T>): Promise<T> => {
    const stop = duration.startTimer();
    try {
      const result = await append();
      stop({ outcome: 'ok' });
      return result;
    } catch (error) {
      const conflict = error instanceof ExpectedVersionConflictError;
      if (conflict) conflicts.inc();
      stop({ outcome: conflict ? 'conflict' : 'error' });
      throw error;
    }
  };
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'append') {
        return (streamName: string, events: NewEvent[], options?: Parameters<EventStore['append']>[2]) =>
          timed(() => target.append(streamName, events, options));
      }
      if (property === 'appendToStreams') {
        return (appends: StreamAppend[]) => timed(() => target.appendToStreams(appends));
      }
      if (property === 'decideUnderLock') {
        return (...args: Parameters<EventStore['decideUnderLock']>) => timed(() => target.decideUnderLock(...args));
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
