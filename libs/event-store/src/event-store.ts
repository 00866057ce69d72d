import type { Kysely, Transaction } from 'kysely';
import type { StatementPipeline } from './statement-pipeline';

/** An event as the domain produces it, before it is stored. */
export interface NewEvent<Type extends string = string, Data extends object = object> {
  type: Type;
  data: Data;
  metadata?: Record<string, unknown>;
}

/**
 * An event as the domain declares it: a member of an aggregate's union of events, `type` its
 * discriminant. Deciders produce them, `evolve` folds them.
 */
export type DomainEvent = { type: string; data: object; metadata?: Record<string, unknown> };

/** An event of no declared union: what untyped reads return. */
export type UntypedEvent = { type: string; data: Record<string, unknown> };

/** What the store adds to an event when it records it. */
export type RecordedEnvelope = Omit<RecordedEvent, 'type' | 'data'>;

/**
 * The recorded form of a domain event union, member by member: `switch (event.type)` on a
 * `Recorded<LicenseEvent>` narrows `event.data`, and a recorded event is still an `E`, so it can
 * be folded by the aggregate's `evolve`.
 */
export type Recorded<E extends DomainEvent> = E & RecordedEnvelope;

/** An event as the store recorded it. */
export interface RecordedEvent<Type extends string = string, Data extends object = Record<string, unknown>> {
  eventId: string;
  streamName: string;
  /** 1-based position of the event in its stream: the stream's version after it. */
  streamVersion: number;
  /**
   * Adapter-specific token of the event's place in the global order ("$all"): pass it back as
   * `after`. Tokens of one adapter are fixed-width, so comparing them as strings compares
   * their places in the global order; tokens of different adapters are not comparable.
   */
  position: string;
  type: Type;
  data: Data;
  metadata: Record<string, unknown>;
  recordedAt: Date;
}

/**
 * Optimistic concurrency for an append: the exact version the stream must be at
 * (0 = the stream must not exist yet), `'no_stream'`, or `'any'`.
 */
export type ExpectedVersion = number | 'no_stream' | 'any';

export interface StreamAppend {
  streamName: string;
  events: NewEvent[];
  expectedVersion?: ExpectedVersion;
}

export interface AppendResult {
  /** The stream's version after the append: pass it as the next expected version. */
  nextExpectedVersion: number;
  /** The global position token of the last appended event. */
  position: string;
}

export interface ReadStreamResult<E extends DomainEvent = UntypedEvent> {
  /** 0 when the stream does not exist. */
  currentVersion: number;
  events: Recorded<E>[];
}

/** Where a durable subscription or a projection has got to. Kept in PostgreSQL by every adapter. */
export interface CheckpointStore {
  load(name: string): Promise<string | undefined>;
  /** Stores the checkpoint, in the caller's transaction when one is given. */
  store(name: string, position: string, trx?: Transaction<any>): Promise<void>;
  /** Forgets the checkpoint: its next reader starts from the beginning. */
  reset(name: string, trx?: Transaction<any>): Promise<void>;
  /**
   * Loads the checkpoint and holds it exclusively until `trx` ends, so that only one process at
   * a time moves it (waits for the current holder).
   */
  lock(name: string, trx: Transaction<any>): Promise<string | undefined>;
}

export interface Subscription {
  /** Resolves once the handler of the batch in flight (if any) has finished. */
  stop(): Promise<void>;
}

/** What readAllOfTypes reads: events of `types` after `after` (exclusive), `limit` of them at most. */
export interface TypedReadOptions<E extends DomainEvent = UntypedEvent> {
  types: readonly E['type'][];
  after?: string;
  limit?: number;
}

/** A page of readAllOfTypes. */
export interface TypedReadPage<E extends DomainEvent = UntypedEvent> {
  /** The events of the asked types, in commit order. */
  events: Recorded<E>[];
  /**
   * The position the read has looked through, events of other types included: at or after the
   * last of `events`, and nothing of the asked types lies between `after` and it that is not in
   * `events`. Pass it as the next `after`. Undefined when there was nothing past `after` to look at.
   */
  readThrough?: string;
  /**
   * True when the read looked through every event readable now: the next read finds only what
   * is appended (or let through by readAll's horizon) since. False when it stopped early.
   */
  reachedEnd: boolean;
}

export interface SubscribeOptions<E extends DomainEvent = UntypedEvent> {
  /** Durable name: the checkpoint is kept under it. */
  name: string;
  /**
   * Called with batches in global order; the checkpoint moves after the handler resolves. Every
   * stream's events arrive: `E` is the union of all the types the handler may be given.
   */
  handler: (events: Recorded<E>[]) => Promise<void>;
  /**
   * The only types the handler reads, when it reads few: the store then reads no others (it
   * filters where the events are kept) and moves the checkpoint past them. Every event otherwise.
   */
  eventTypes?: readonly E['type'][];
  batchSize?: number;
  /** The pause after a read that found nothing, doubling while the store stays idle... */
  pollIntervalMs?: number;
  /** ...up to this (DEFAULT_MAX_POLL_INTERVAL_MS unless given). */
  maxPollIntervalMs?: number;
  /**
   * Stores the checkpoint at most this often (after every batch unless given), and when the
   * subscription stops: for a handler that takes a batch again without harm, since a crash gives
   * it again what it handled since the last store, this long at most. Each store is a commit.
   */
  checkpointIntervalMs?: number;
  /**
   * After a batch that reached the end of the store, waits this long (not woken by appends) before
   * reading again, so that the events appended meanwhile come in one read and one batch: for a
   * handler whose cost is mostly per batch, under a steady load. The first event after a quiet
   * spell is read at once, the others up to this much later. 0 (read again at once) unless given.
   */
  lingerMs?: number;
}

/** What an adapter can promise beyond the port's common behaviour. */
export interface EventStoreCapabilities {
  /**
   * Guards run inside the append's transaction, so a guard that throws rolls the append back.
   * An adapter without this (EventStoreDB) cannot enforce them and refuses to be given any.
   */
  transactionalGuards: boolean;
  /** appendToStreams is all or nothing (otherwise the appends before a conflict stay). */
  atomicMultiStreamAppends: boolean;
  /**
   * decideUnderLock: streams locked between processes, read and appended to in one transaction.
   * Without it (EventStoreDB) writers of a stream are ordered by the version check alone.
   */
  lockedDecisions: boolean;
}

/** A stream decideUnderLock locks and reads: its events after `afterVersion` (the version the caller holds). */
export interface LockedRead {
  streamName: string;
  afterVersion: number;
}

export interface EventStore {
  readonly capabilities: EventStoreCapabilities;
  /**
   * Appends atomically (at least one event); throws ExpectedVersionConflictError when the stream
   * is not at `expectedVersion` (default `'any'`).
   */
  append(
    streamName: string,
    events: NewEvent[],
    options?: { expectedVersion?: ExpectedVersion },
  ): Promise<AppendResult>;
  /**
   * Appends to several streams, each at its expected version, for a decision that spans
   * aggregates. PostgreSQL: one transaction, all or nothing. EventStoreDB has no multi-stream
   * transactions: the appends run one after another, and a conflict leaves the earlier ones in.
   */
  appendToStreams(appends: StreamAppend[]): Promise<AppendResult[]>;
  /**
   * Only with `capabilities.lockedDecisions`: in one transaction, locks the streams of `reads`
   * (until it ends, against every other decideUnderLock on any of them, in any process), reads
   * each one's events after its `afterVersion`, and appends what `decide` makes of them
   * (appendToStreams' appends: expected versions, guards and inline projections as there). A
   * writer of these streams that takes no lock can still move them, which the expected versions
   * catch; writers that all lock take turns and never conflict. `decide` returning no appends
   * commits nothing; one that throws rolls back and rejects with its error.
   */
  decideUnderLock(
    reads: LockedRead[],
    decide: (read: ReadonlyMap<string, ReadStreamResult>) => StreamAppend[],
  ): Promise<AppendResult[]>;
  /**
   * The stream's events (only those after `afterVersion` when given: for a caller that has the
   * rest), upcast to their types' current schema. `E` is the stream's event union: the store
   * does not check it, the stream's name implies it.
   */
  readStream<E extends DomainEvent = UntypedEvent>(
    streamName: string,
    options?: { afterVersion?: number },
  ): Promise<ReadStreamResult<E>>;
  /**
   * Events of every stream after `after` (exclusive), in commit order, upcast. Never returns an
   * event while an earlier-ordered one could still become visible (a transaction that commits late).
   */
  readAll<E extends DomainEvent = UntypedEvent>(options?: { after?: string; limit?: number }): Promise<Recorded<E>[]>;
  /**
   * readAll of the events of `types` only (up to `limit`), filtered where the events are kept, so
   * the others are not fetched. A read may stop looking before the store's end (each adapter
   * bounds the stretch one read looks through): an empty page with a readThrough past `after`
   * means "nothing of these types up to there", not "nothing more".
   */
  readAllOfTypes<E extends DomainEvent = UntypedEvent>(options: TypedReadOptions<E>): Promise<TypedReadPage<E>>;
  /**
   * Position of the last event recorded so far, undefined when the store is empty. readAll may
   * hold it back for a moment while earlier-ordered transactions are still in flight.
   */
  headPosition(): Promise<string | undefined>;
  /** Polls readAll from the durable checkpoint and feeds the handler; at-least-once. */
  subscribe<E extends DomainEvent = UntypedEvent>(options: SubscribeOptions<E>): Subscription;
  /**
   * Calls `listener` with the event types of each append of this store, once it is committed, so
   * that other processes' subscriptions can be woken (wakeSubscriptions). Returns its removal.
   */
  onAppended(listener: (types: ReadonlySet<string>) => void): () => void;
  /**
   * Wakes this store's subscriptions that read any of `types` as an append of this process does:
   * for events another process appended, which they would otherwise see only at their next poll.
   */
  wakeSubscriptions(types: ReadonlySet<string>): void;
  readonly checkpoints: CheckpointStore;
  /** Stops the subscriptions started from this store. The Kysely instance stays open: the caller owns it. */
  close(): Promise<void>;
}

/**
 * A rule enforced inside the append's transaction: same shape as an inline projection (it may
 * keep rows, e.g. a counter, so that concurrent appends are ordered by their locks), but its
 * purpose is to refuse: throwing from `handle` rolls the whole append back. Only adapters with
 * `capabilities.transactionalGuards` accept guards.
 */
export type Guard<E extends DomainEvent = any, DB = any> = Projection<E, DB>;

/**
 * A read model fed by the events of `E` (build one with defineProjection, which checks the
 * event types against the union). `handle` writes view rows inside the transaction it is given,
 * and must be idempotent for events it has already applied. A bare `Projection` is one of any
 * union: what a store holds.
 */
export interface Projection<E extends DomainEvent = any, DB = any> {
  name: string;
  /** Event types this projection reads; others are skipped. */
  eventTypes: readonly E['type'][];
  /**
   * Applies the events in `trx`. A write whose answer it does not read can go through `pipeline`
   * instead of being awaited: sent at once, checked before the transaction commits.
   */
  handle(events: Recorded<E>[], trx: Transaction<DB>, pipeline: StatementPipeline): Promise<void>;
  /** Deletes every row of the view (used before a rebuild). */
  truncate(db: Kysely<DB> | Transaction<DB>): Promise<void>;
}

export class ExpectedVersionConflictError extends Error {
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`stream ${streamName} is at version ${actual}, expected ${String(expected)}`);
    this.name = 'ExpectedVersionConflictError';
  }
}
