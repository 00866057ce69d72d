export * from './event-store';
export {
  createEventStore,
  eventStoreKindFromEnv,
  type CreateEventStoreOptions,
  type EventStoreKind,
} from './create-event-store';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store';
export { PostgresCheckpointStore } from './postgres/postgres-checkpoint-store';
export { migrateEventStoreSchema } from './postgres/event-store-schema';
export type { EventStoreDbEventStoreOptions } from './eventstoredb/eventstoredb-event-store';
export { runProjection, rebuildProjection, type RunProjectionOptions } from './projections/projection-runner';
export { projectionCheckpointName } from './projections/projection-checkpoint';
export { defineGuard, defineProjection } from './projections/define-projection';
export { SCHEMA_VERSION_KEY, type EventUpcaster, type Upcasters } from './event-schemas';
export { DEFAULT_POLL_INTERVAL_MS } from './polling-subscription';
export type { EventStoreLogger } from './logger';
export * from './command-handler';
export * from './aggregate-states';
export * from './stream-locks';
export * from './command-batcher';
export {
  stream,
  streamGroup,
  type Decide,
  type Decision,
  type DecisionStates,
  type DecisionStream,
  type DecisionStreamGroup,
  type DecisionStreams,
  type MultiStreamDecision,
} from './multi-stream-decision';
export { DeciderSpecification, type ErrorExpectation, type Given, type When } from './decider-specification';
