import type { EventStoreCapabilities } from './event-store';

/** The adapters of the EventStore port, as EVENT_STORE names them. */
export type EventStoreKind = 'postgres' | 'eventstoredb';

/**
 * What each adapter can do, known before one is opened: each adapter declares its capabilities
 * from here, and a service checks what it needs (guards) against it before it opens anything.
 */
export const EVENT_STORE_CAPABILITIES: Readonly<Record<EventStoreKind, EventStoreCapabilities>> = {
  postgres: { transactionalGuards: true, atomicMultiStreamAppends: true, lockedDecisions: true },
  eventstoredb: { transactionalGuards: false, atomicMultiStreamAppends: false, lockedDecisions: false },
};
