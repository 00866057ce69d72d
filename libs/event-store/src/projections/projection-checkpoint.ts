import type { Projection, RecordedEvent } from '../event-store';

/** Checkpoint under which a projection's progress is kept (and locked while it moves). */
export function projectionCheckpointName(projection: Pick<Projection, 'name'>): string {
  return `projection:${projection.name}`;
}

/** The events of `events` the projection reads, in their order. */
export function eventsForProjection(projection: Projection, events: readonly RecordedEvent[]): RecordedEvent[] {
  return events.filter((event) => projection.eventTypes.includes(event.type));
}
