import type { DomainEvent, NewEvent, Recorded, RecordedEvent } from './event-store';

/** The metadata key under which the store records the schema version of an event's data. */
export const SCHEMA_VERSION_KEY = 'schemaVersion';

/**
 * How an event type's data has changed: new events of the type are recorded at `schemaVersion`,
 * and `upcast` brings the data of an event recorded at an older version (from 1, events recorded
 * before versions were stamped) to the current shape. Old events are never rewritten.
 */
export interface EventUpcaster {
  schemaVersion: number;
  upcast(data: Record<string, unknown>, recordedVersion: number): Record<string, unknown>;
}

/** Upcasters by event type; a type without one is at version 1. */
export type Upcasters = Readonly<Record<string, EventUpcaster>>;

/**
 * Stamps the schema version on what is appended and upcasts what is read: every adapter reads
 * through it, so deciders, projections, guards and subscribers only ever see current shapes.
 */
export class EventSchemas {
  constructor(private readonly upcasters: Upcasters = {}) {
    for (const [type, { schemaVersion }] of Object.entries(upcasters)) {
      if (!Number.isSafeInteger(schemaVersion) || schemaVersion < 1)
        throw new TypeError(`the schema version of ${type} must be a positive integer, got ${schemaVersion}`);
    }
  }

  /** The events with their type's current schema version in the metadata (unless the caller set one). */
  stamp(events: readonly NewEvent[]): NewEvent[] {
    return events.map((event) => ({
      ...event,
      metadata: { [SCHEMA_VERSION_KEY]: this.currentVersion(event.type), ...event.metadata },
    }));
  }

  /**
   * The events with their data at their type's current schema. This is where the store's edge
   * is typed: the caller names the union its streams hold, and upcasting makes the shapes match it.
   */
  upcast<E extends DomainEvent>(events: readonly RecordedEvent[]): Recorded<E>[] {
    return events.map((event) => this.upcastOne(event)) as Recorded<E>[];
  }

  private upcastOne(event: RecordedEvent): RecordedEvent {
    const upcaster = Object.hasOwn(this.upcasters, event.type) ? this.upcasters[event.type] : undefined;
    if (!upcaster) return event;
    const recorded = event.metadata[SCHEMA_VERSION_KEY];
    const recordedVersion = typeof recorded === 'number' ? recorded : 1;
    if (recordedVersion >= upcaster.schemaVersion) return event;
    return {
      ...event,
      data: upcaster.upcast(event.data, recordedVersion),
      metadata: { ...event.metadata, [SCHEMA_VERSION_KEY]: upcaster.schemaVersion },
    };
  }

  private currentVersion(type: string): number {
    return Object.hasOwn(this.upcasters, type) ? this.upcasters[type].schemaVersion : 1;
  }
}
