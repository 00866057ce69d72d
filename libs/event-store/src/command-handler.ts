import { ExpectedVersionConflictError, type AppendResult, type DomainEvent, type EventStore } from './event-store';
import { byStreamName, type Decision, type DecisionStreams, type MultiStreamDecision } from './multi-stream-decision';
import type { NewStreamBatcher } from './new-stream-batcher';
import { processStreamLocks } from './stream-locks';

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

let versionConflictRetries = 0;

/** Process-wide counts of the store's retry paths (published on a replica's metrics). */
export const eventStoreCounters = {
  /** Decisions taken again because another writer appended to one of their streams first. */
  get versionConflictRetries(): number {
    return versionConflictRetries;
  },
};

/**
 * Runs `attempt` holding the streams' in-process locks, and again (after a short random pause)
 * when another writer changed one of the streams first: each attempt reads and decides anew.
 */
export async function retryingOnConflict<T>(
  streamNames: string[],
  maxAttempts: number,
  attempt: (n: number) => Promise<T>,
): Promise<T> {
  return processStreamLocks.withLocks(streamNames, async () => {
    for (let n = 1; ; n++) {
      try {
        return await attempt(n);
      } catch (error) {
        if (!(error instanceof ExpectedVersionConflictError) || n >= maxAttempts) throw error;
        versionConflictRetries += 1;
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
    /** With assumeNewStream: the new stream's first append goes in this batcher's group commit. */
    newStreams?: NewStreamBatcher;
  } = {},
): Promise<CommandResult<Event, State>> {
  return retryingOnConflict([streamName], options.maxAttempts ?? 50, async (attempt) => {
    const { currentVersion, events } =
      attempt === 1 && options.assumeNewStream
        ? { currentVersion: 0, events: [] }
        : await store.readStream<Event>(streamName);
    const state = events.reduce(decider.evolve, decider.initialState());
    const newEvents = decider.decide(command, state);
    if (newEvents.length === 0) return { state, newEvents };
    const appended =
      attempt === 1 && options.assumeNewStream && options.newStreams
        ? await options.newStreams.append(streamName, newEvents)
        : await store.append(streamName, newEvents, { expectedVersion: currentVersion });
    return { state: newEvents.reduce(decider.evolve, state), newEvents, appended };
  });
}

/**
 * A decision over several streams (aggregates), appended all or nothing: loads every stream's
 * state, lets `decide` decide on them, and appends each stream's new events at the version its
 * state reflects. A conflict on any of them decides again on fresh state. Streams are given by
 * role, `{ resource: stream(name, states), configurations: streamGroup(arnToStream, states) }`;
 * `decide` gets each role's state and returns each role's events; the result is the decision
 * that was appended.
 */
export async function handleMultiStreamCommand<S extends DecisionStreams>(
  store: EventStore,
  decision: MultiStreamDecision<S>,
  options: { maxAttempts?: number } = {},
): Promise<Decision<S>> {
  const { streams, decide, decided } = byStreamName(decision);
  const unique = [...new Map(streams.map((stream) => [stream.name, stream])).values()];
  return retryingOnConflict(
    unique.map((stream) => stream.name),
    options.maxAttempts ?? 100,
    async () => {
      const loaded = await Promise.all(
        unique.map(async (stream) => [stream.name, await stream.states.load(store, stream.name)] as const),
      );
      const byStream = decide(new Map(loaded.map(([name, { state }]) => [name, state])));
      const versions = new Map(loaded.map(([name, { version }]) => [name, version]));
      const appends = [...byStream]
        .filter(([, events]) => events.length > 0)
        .map(([streamName, events]) => ({ streamName, events, expectedVersion: versions.get(streamName) ?? 0 }));
      if (appends.length > 0) await store.appendToStreams(appends);
      // The decision of the last attempt: the one appended.
      return decided();
    },
  );
}
