/**
 * Event sourcing for the services: an EventStore port (PostgreSQL; EventStoreDB), durable
 * subscriptions, projections, and the command side (deciders, multi-stream decisions, group commit).
 *
 * Typed at the edges. Name an aggregate's event union `E` and the store gives `Recorded<E>`, on
 * which `switch (event.type)` narrows `event.data`:
 *   - reads: `store.readStream<E>(name)`, `store.readAll<E>()`, `store.subscribe<E>({ handler })`;
 *   - views: `defineProjection<E, Db>()({ name, eventTypes: ['A', 'B'], handle, truncate })`, whose
 *     eventTypes must be types of `E` and whose `handle` gets only those; `defineGuard` the same for
 *     a Guard: a rule run in the append's transaction that refuses by throwing (passed as `guards`;
 *     only a store with `capabilities.transactionalGuards` takes them);
 *   - state: `new AggregateStates(decider.evolve, decider.initialState)` infers `<State, E>`;
 *   - decisions over several streams, by role, with N streams of one kind as a keyed group:
 *       handleMultiStreamCommand(store, {
 *         streams: {
 *           resource: stream(resourceStream, resourceStates),
 *           configurations: streamGroup(streamByArn, configurationStates),
 *         },
 *         decide: ({ resource, configurations }) => ({ resource: [...], configurations: eventsByArn }),
 *       });
 *     (`CommandBatcher.submit(key, { streams, decide })` takes the same, for group commit; a stream
 *     another process writes too is then decided under its lock, `store.decideUnderLock`.)
 * Event schemas: new events carry `metadata.schemaVersion` (1 unless an upcaster says otherwise);
 * `upcasters` given to the store bring older data to the current shape on every read.
 * Tests: `DeciderSpecification.for(decider).given(events).when(command).then(events)` (or
 * `.thenThrows(...)`, `.thenState(...)`) asserts with node:assert, in any test runner.
 * Retries: `eventStoreCounters.versionConflictRetries` counts the decisions taken again after a
 * version conflict, process-wide.
 */
export * from './event-store';
export { createEventStore, type CreateEventStoreOptions } from './create-event-store';
export { EVENT_STORE_CAPABILITIES, type EventStoreKind } from './event-store-kinds';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store';
export { PostgresCheckpointStore } from './postgres/postgres-checkpoint-store';
export { migrateEventStoreSchema } from './postgres/event-store-schema';
export { precompiled, type PrecompiledQuery } from './postgres/precompiled-query';
export type { EventStoreDbEventStoreOptions } from './eventstoredb/eventstoredb-event-store';
export {
  applyProjection,
  runProjection,
  rebuildProjection,
  type RunProjectionOptions,
} from './projections/projection-runner';
export { inPipelinedTransaction, StatementPipeline } from './statement-pipeline';
export { projectionCheckpointName } from './projections/projection-checkpoint';
export { defineGuard, defineProjection } from './projections/define-projection';
export { SCHEMA_VERSION_KEY, type EventUpcaster, type Upcasters } from './event-schemas';
export { DEFAULT_POLL_INTERVAL_MS } from './polling-subscription';
export type { EventStoreLogger } from './logger';
export * from './command-handler';
export * from './aggregate-states';
export * from './stream-locks';
export * from './command-batcher';
export * from './new-stream-batcher';
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
