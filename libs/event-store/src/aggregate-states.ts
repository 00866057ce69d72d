import type { EventStore, NewEvent, RecordedEvent } from './event-store';

export interface LoadedState<State> {
  /** The stream's version the state reflects: the expected version of the next append. */
  version: number;
  state: State;
}

/**
 * Folded aggregate states kept in memory by stream, each brought up to date by reading only the
 * events after the version it reflects. A hot aggregate (one configuration admitting every
 * launch) is then neither re-read nor re-folded from its first event on every command. Other
 * processes' appends are read in on the next load; the expected-version check covers the rest.
 */
export class AggregateStates<State> {
  private readonly entries = new Map<string, LoadedState<State>>();

  constructor(
    private readonly evolve: (state: State, event: RecordedEvent) => State,
    private readonly initialState: () => State,
    private readonly maxEntries = 10_000,
  ) {}

  /** The state after events not yet stored (to decide a further command on top of them). */
  applyPending(state: State, events: readonly NewEvent[]): State {
    return events.reduce((folded, event) => this.evolve(folded, event as unknown as RecordedEvent), state);
  }

  /** After a successful append: the state it decided on plus its events, at the new version. */
  remember(streamName: string, loaded: LoadedState<State>): void {
    this.entries.delete(streamName);
    this.entries.set(streamName, loaded);
  }

  async load(store: EventStore, streamName: string): Promise<LoadedState<State>> {
    const cached = this.entries.get(streamName);
    const { currentVersion, events } = await store.readStream(streamName, { afterVersion: cached?.version ?? 0 });
    const loaded = { version: currentVersion, state: events.reduce(this.evolve, cached?.state ?? this.initialState()) };
    // Map order is recency: the least recently loaded stream is the first to be forgotten.
    this.entries.delete(streamName);
    this.entries.set(streamName, loaded);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return loaded;
  }
}
