import type { DynamicModule, ModuleMetadata, Provider, Type } from '@nestjs/common';
import type { DomainEventMessage, ServiceName } from '@lm/contracts';
import type { Guard, Projection, RecordedEvent, StatementPipeline, Upcasters } from '@lm/event-store';
import type { Transaction } from 'kysely';
import type { ConfigOf, Settings } from './config/settings';
import type { EndpointSpec } from './nats-endpoint';
import type { ViewMigrations } from './view-migrations';

interface ConsumesEvents {
  /**
   * The only event types it applies, when its subject brings others it would skip: those are
   * acknowledged as they arrive, with no transaction and no ledger row. Leave it out for a handler
   * that follows its streams' versions one by one (it needs every event of them).
   */
  readonly eventTypes?: readonly string[];
}

/**
 * Applies one domain event of another service, inside the transaction that records it as
 * processed. A write whose answer it does not read can go through `pipeline`, out with the commit.
 */
export interface EventConsumer extends ConsumesEvents {
  handle(event: DomainEventMessage, trx: Transaction<any>, pipeline: StatementPipeline): Promise<void>;
}

/**
 * Applies the events of a batch not applied before, in delivery order, in one call, inside the
 * transaction that records them as processed: for a handler that reads and writes the state of
 * all of them in a few statements rather than a few per event. An event applied alone (after its
 * batch failed) is a batch of one.
 */
export interface BatchEventConsumer extends ConsumesEvents {
  handleBatch(events: DomainEventMessage[], trx: Transaction<any>, pipeline: StatementPipeline): Promise<void>;
}

/** A durable JetStream consumer: replicas share `durableName`, so each event reaches one of them. */
interface ConsumerSettings {
  /** Never rename it: the server keeps the consumer's place under this name. */
  durableName: string;
  /** e.g. eventSubject('discovery', '>') (one filter subject). */
  subject: string;
  /**
   * At most this many delivered events in one transaction, below LM_CONSUMER_BATCH_SIZE: 1 for a
   * handler that needs each event committed before the next is applied (its work outside the
   * transaction reads what the previous one wrote).
   */
  batchSize?: number;
  /**
   * With a batch size of 1: the events of how many streams are applied at once (default 1), those
   * of one stream one after the other (startDurableEventConsumer's `lanes`).
   */
  lanes?: number;
}

/** A consumer's handler: a provider class, which the chassis registers. */
type ConsumerClass = Type<EventConsumer | BatchEventConsumer>;

/**
 * One handler (a provider class, which the chassis registers); or several handlers of the same
 * subject sharing the consumer, by their names in the processed-events ledger: each event reaches
 * them in one delivery and one transaction. A handler that had a consumer of its own is named after
 * it, and the shared one takes over from it (startDurableEventConsumer), under a name of its own.
 */
export type ConsumerSpec = ConsumerSettings &
  ({ handler: ConsumerClass } | { handlers: Readonly<Record<string, ConsumerClass>> });

/** A consumer's handlers, each with its name in the ledger (the consumer's own, for a consumer of one). */
export function consumerHandlers(spec: ConsumerSpec): { ledgerName: string; handler: ConsumerClass }[] {
  return 'handlers' in spec
    ? Object.entries(spec.handlers).map(([ledgerName, handler]) => ({ ledgerName, handler }))
    : [{ ledgerName: spec.durableName, handler: spec.handler }];
}

/** Follows the service's own event store (a workflow reacting to its events), from a durable checkpoint. */
export interface StoreSubscriber {
  /**
   * The only event types `handle` acts on, when it acts on few: the store then reads no others
   * for it (a service's store is mostly events the subscriber would skip). Every event otherwise.
   */
  readonly eventTypes?: readonly string[];
  handle(events: RecordedEvent[]): Promise<void>;
}

export interface SubscriptionSpec {
  /** The checkpoint's name: never rename it. */
  name: string;
  handler: Type<StoreSubscriber>;
}

/** Work a schedule repeats (`<aggregate>.sweep.ts`). */
export interface Sweep {
  sweep(): Promise<unknown>;
}

export interface ScheduleSpec<Config> {
  task: Type<Sweep>;
  /** Pause between the end of one run and the start of the next. */
  intervalMs: (config: Config) => number;
}

/** Either a list, or a list made from the service's settings (e.g. a guard that enforces a configured quota). */
export type FromConfig<T, Config> = readonly T[] | ((config: Config) => readonly T[]);

export interface ServiceDefinition<S extends Settings = Settings> {
  name: ServiceName;
  /** PostgreSQL schema of the service's events, checkpoints and views. */
  schema: string;
  /** View migrations, applied in name order in `schema` at start. */
  migrations: ViewMigrations;
  /** Read models kept from the service's events (inline, in the append's transaction on PostgreSQL). */
  projections?: FromConfig<Projection, ConfigOf<S>>;
  /**
   * Rules enforced inside the append's transaction (a quota, a uniqueness): the service refuses
   * to start on an event store that cannot run them.
   */
  guards?: FromConfig<Guard, ConfigOf<S>>;
  /**
   * How the service's own older events are read in today's shape, by event type (see the event
   * store's upcast hook): a new schema version of an event comes with its upcaster here.
   */
  upcasters?: Upcasters;
  consumers?: readonly ConsumerSpec[];
  subscriptions?: readonly SubscriptionSpec[];
  schedules?: readonly ScheduleSpec<ConfigOf<S>>[];
  /** Subjects served by hand on the chassis' NATS connection. */
  endpoints?: readonly EndpointSpec[];
  /** The service's own settings (positiveInteger, milliseconds, text, oneOf, base64Key, setting...). */
  config?: S;
  /** `@MessagePattern` controllers; the operations they handle are what health reports. */
  controllers?: readonly Type<unknown>[];
  providers?: readonly Provider[];
  imports?: ModuleMetadata['imports'];
}

const definitions = new WeakMap<DynamicModule, ServiceDefinition<any>>();

export function registerDefinition(module: DynamicModule, definition: ServiceDefinition<any>): void {
  definitions.set(module, definition);
}

/** The definition a module of defineService was made from. */
export function definitionOf(module: DynamicModule): ServiceDefinition<Settings> {
  const definition = definitions.get(module);
  if (!definition) throw new Error('not a module made by defineService');
  return definition;
}
