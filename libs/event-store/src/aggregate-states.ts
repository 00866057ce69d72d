import type { DomainEvent, EventStore, ReadStreamResult, UntypedEvent } from './event-store';

export interface LoadedState<State> {
  /** The stream's version the state reflects: the expected version of the next append. */
  version: number;
  state: State;
}

export interface AggregateStatesOptions {
  /** States kept at most (10,000 unless given); the least recently loaded is forgotten first. */
  maxEntries?: number;
  /**
   * A stream this process has not kept is presumed new (version 0, the initial state) where kept
   * states are decided on (CommandBatcher's decideOnKeptStates): for streams named after things
   * this process usually sees first (a launched instance), which are then not read before their
   * first append. The append at version 0 proves it; a stream that existed after all makes it
   * conflict, and is read and decided again.
   */
  presumeNew?: boolean;
}

/**
 * Folded aggregate states kept in memory by stream, each brought up to date by reading only the
 * events after the version it reflects. A hot aggregate (one configuration admitting every
 * launch) is then neither re-read nor re-folded from its first event on every command. Other
 * processes' appends are read in on the next load; the expected-version check covers the rest.
 * `E` is the union of the events of the streams it holds.
 */
export class AggregateStates<State, E extends DomainEvent = UntypedEvent> {
  private readonly entries = new Map<string, LoadedState<State>>();

  private readonly maxEntries: number;
  private readonly presumeNew: boolean;

  constructor(
    private readonly evolve: (state: State, event: E) => State,
    private readonly initialState: () => State,
    options: AggregateStatesOptions = {},
  ) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.presumeNew = options.presumeNew ?? false;
  }

  /** The state after events not yet stored (to decide a further command on top of them). */
  applyPending(state: State, events: readonly E[]): State {
    return events.reduce(this.evolve, state);
  }

  /** After a successful append: the state it decided on plus its events, at the new version. */
  remember(streamName: string, loaded: LoadedState<State>): void {
    this.keep(streamName, loaded);
  }

  /**
   * Drops a stream's state: an aggregate that was deleted takes memory that no command reads again
   * (a command naming it once more reads the stream).
   */
  forget(streamName: string): void {
    this.entries.delete(streamName);
  }

  /**
   * The state as this process last loaded or appended it, without reading: possibly behind the
   * stream (another process's appends), which an append at its version would find out. A stream
   * it never loaded nor appended to is none, or the new stream's state when it presumes new ones.
   */
  kept(streamName: string): LoadedState<State> | undefined {
    return this.entries.get(streamName) ?? (this.presumeNew ? { version: 0, state: this.initialState() } : undefined);
  }

  async load(store: EventStore, streamName: string): Promise<LoadedState<State>> {
    return this.catchUp(
      streamName,
      await store.readStream<E>(streamName, { afterVersion: this.kept(streamName)?.version ?? 0 }),
    );
  }

  /**
   * The kept state brought up to date with `read`, the stream's events after the kept version (all
   * of them when none is kept), as load reads them or EventStore.decideUnderLock: kept as loaded.
   */
  catchUp(streamName: string, { currentVersion, events }: ReadStreamResult<E>): LoadedState<State> {
    const cached = this.entries.get(streamName);
    const loaded = { version: currentVersion, state: this.applyPending(cached?.state ?? this.initialState(), events) };
    this.keep(streamName, loaded);
    return loaded;
  }

  /**
   * Map order is recency: the least recently loaded or appended stream is the first to be
   * forgotten. Streams that are only ever appended to (presumed new, then decided on as kept) are
   * bounded too.
   */
  private keep(streamName: string, loaded: LoadedState<State>): void {
    this.entries.delete(streamName);
    this.entries.set(streamName, loaded);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}
