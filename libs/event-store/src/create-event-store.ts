import type { Kysely } from 'kysely';
import type { EventStore, Guard, Projection } from './event-store';
import type { Upcasters } from './event-schemas';
import type { EventStoreKind } from './event-store-kinds';
import type { EventStoreLogger } from './logger';
import { migrateEventStoreSchema } from './postgres/event-store-schema';
import { PostgresEventStore } from './postgres/postgres-event-store';

export interface CreateEventStoreOptions {
  kind: EventStoreKind;
  /** The service's database; owned by the caller (close() of the store leaves it open). */
  db: Kysely<any>;
  /** The service's schema: events (postgres), checkpoints (both) live in it. */
  schema: string;
  projections?: Projection[];
  /** Rules run inside each append's transaction; only adapters with capabilities.transactionalGuards accept them. */
  guards?: Guard[];
  /** By event type: bring the data of events recorded at older schema versions to the current shape. */
  upcasters?: Upcasters;
  /** Required when kind is 'eventstoredb'. */
  eventStoreUrl?: string;
  logger?: EventStoreLogger;
}

/** Prepares the schema (idempotently) and opens the chosen adapter. */
export async function createEventStore(options: CreateEventStoreOptions): Promise<EventStore> {
  const { kind, db, schema, projections, guards, upcasters, eventStoreUrl, logger } = options;
  await migrateEventStoreSchema(db, schema);
  if (kind === 'postgres') return new PostgresEventStore({ db, schema, projections, guards, upcasters, logger });
  if (!eventStoreUrl) throw new Error('eventStoreUrl is required for the eventstoredb event store');
  // Loaded only when chosen: the EventStoreDB client brings gRPC, which PostgreSQL deployments
  // (and every process that merely imports this library) need not load.
  const { EventStoreDbEventStore } = await import('./eventstoredb/eventstoredb-event-store.js');
  return new EventStoreDbEventStore({ url: eventStoreUrl, db, schema, projections, guards, upcasters, logger });
}
