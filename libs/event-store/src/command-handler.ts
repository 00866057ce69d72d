import { ExpectedVersionConflictError, type AppendResult, type EventStore, type NewEvent, type RecordedEvent } from './event-store';
import { processStreamLocks } from './stream-locks';

/** An event as a decider produces it: its data is the aggregate's own typed shape. */
export type DomainEvent = { type: string; data: object; metadata?: Record<string, unknown> };

/**
 * An aggregate's behaviour as pure functions: `decide` turns a command and the current state
 * into new events (or throws a domain error); `evolve` folds an event into the state.
 */
export interface Decider<Command, Event extends DomainEvent, State> {
  initialState(): State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State): Event[];
}

export interface CommandResult<Event, State> {
  /** The state after the new events. */
  state: State;
  newEvents: Event[];
  /** Undefined when the decision produced no events (nothing was appended). */
  appended?: AppendResult;
}

/**
 * Runs `attempt` holding the streams' in-process locks, and again (after a short random pause)
 * when another writer changed one of the streams first: each attempt reads and decides anew.
 */
async function retryingOnConflict<T>(streamNames: string[], maxAttempts: number, attempt: (n: number) => Promise<T>): Promise<T> {
  return processStreamLocks.withLocks(streamNames, async () => {
    for (let n = 1; ; n++) {
      try {
        return await attempt(n);
      } catch (error) {
        if (!(error instanceof ExpectedVersionConflictError) || n >= maxAttempts) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, n * 5)));
      }
    }
  });
}

/**
 * Loads the stream, decides, and appends at the version it read. Another writer getting there
 * first makes the append fail with a version conflict; the command is then decided again on
 * the new state, so a decision is always made on the state it is appended after.
 */
export async function handleCommand<Command, Event extends DomainEvent, State>(
  store: EventStore,
  streamName: string,
  decider: Decider<Command, Event, State>,
  command: Command,
  options: {
    maxAttempts?: number;
    /**
     * The stream is new (its name holds a fresh random id): decide on the initial state without
     * reading it first. Should it exist after all, the conflict makes the next attempt read it.
     */
    assumeNewStream?: boolean;
  } = {},
): Promise<CommandResult<Event, State>> {
  return retryingOnConflict([streamName], options.maxAttempts ?? 50, async (attempt) => {
    const { currentVersion, events } =
      attempt === 1 && options.assumeNewStream ? { currentVersion: 0, events: [] } : await store.readStream(streamName);
    const state = events.reduce((s, e) => decider.evolve(s, e as unknown as Event), decider.initialState());
    const newEvents = decider.decide(command, state);
    if (newEvents.length === 0) return { state, newEvents };
    const appended = await store.append(streamName, newEvents as NewEvent[], { expectedVersion: currentVersion });
    return { state: newEvents.reduce(decider.evolve, state), newEvents, appended };
  });
}

/**
 * A decision over several streams (aggregates), appended all or nothing: reads every stream,
 * lets `decide` fold and decide on them, and appends each stream's new events at the version it
 * read. A conflict on any of them decides again on fresh state.
 */
export async function handleMultiStreamCommand(
  store: EventStore,
  streamNames: string[],
  decide: (streams: Map<string, RecordedEvent[]>) => Map<string, NewEvent[]>,
  options: { maxAttempts?: number } = {},
): Promise<Map<string, NewEvent[]>> {
  const names = [...new Set(streamNames)];
  return retryingOnConflict(names, options.maxAttempts ?? 100, async () => {
    const read = await Promise.all(names.map(async (name) => [name, await store.readStream(name)] as const));
    const decided = decide(new Map(read.map(([name, { events }]) => [name, events])));
    const versions = new Map(read.map(([name, { currentVersion }]) => [name, currentVersion]));
    const appends = [...decided]
      .filter(([, events]) => events.length > 0)
      .map(([streamName, events]) => ({ streamName, events, expectedVersion: versions.get(streamName) ?? 0 }));
    if (appends.length > 0) await store.appendToStreams(appends);
    return decided;
  });
}
