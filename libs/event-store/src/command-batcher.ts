import { AsyncResource } from 'node:async_hooks';
import { retryingOnConflict } from './command-handler';
import type { LoadedState } from './aggregate-states';
import { ContendedStreams } from './contended-streams';
import type { EventStore, NewEvent, StreamAppend } from './event-store';
import {
  byStreamName,
  type DecisionStream,
  type Decision,
  type DecisionStreams,
  type MultiStreamDecision,
  type StreamDecision,
} from './multi-stream-decision';

interface Pending {
  command: StreamDecision;
  resolve: (decided: Map<string, NewEvent[]>) => void;
  reject: (error: unknown) => void;
}

type Outcome = { decided: Map<string, NewEvent[]> } | { error: unknown };

export interface CommandBatcherOptions {
  /** Commands decided and appended together at most (64 unless given). */
  maxBatch?: number;
  /**
   * Decide a batch on the states this process kept (AggregateStates.kept: its last load or
   * append) without reading its streams first, when every one is kept; the append at their
   * versions then proves they were current, and a conflict reads them and decides again. A batch
   * with a refusal, or a command that appends nothing to a stream it read, has its streams read
   * at once (see appendsToEveryStreamRead), and is decided again only if one of them had moved.
   * For aggregates whose granted commands append to every stream they read, as a licence's usage:
   * a round trip less per batch. (A contended stream's batches are decided under its lock instead.)
   */
  decideOnKeptStates?: boolean;
}

/**
 * Group commit for hot aggregates. Commands with the same key that arrive while a batch is being
 * decided and appended wait; then they are decided one after another on the evolving states and
 * appended together, in one transaction at the versions read. A command that is refused does not
 * affect the others of its batch; a version conflict (another process) decides the whole batch again.
 *
 * A stream that another process writes too (a version conflict: ContendedStreams) is then decided
 * under its lock for a while, on a store with `capabilities.lockedDecisions`: each batch locks its
 * streams, reads what was appended after the states it kept, decides and appends, in one
 * transaction (EventStore.decideUnderLock). Replicas then take turns on the stream instead of
 * deciding on states each other's appends make stale, which cost every batch a failed append, a
 * read, a decision and an append again.
 */
export class CommandBatcher {
  private readonly queues = new Map<string, Pending[]>();
  /**
   * A batch serves several requests: it runs in the async context the batcher was made in, not
   * in that of whichever request started its queue, whose request-scoped state (its deadline, see
   * @lm/service-kit's late requests) would otherwise apply to every later request it serves.
   */
  private readonly scope = new AsyncResource('CommandBatcher');

  private readonly maxBatch: number;
  private readonly decideOnKeptStates: boolean;
  private readonly contended = new ContendedStreams();

  constructor(
    private readonly store: EventStore,
    options: CommandBatcherOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 64;
    this.decideOnKeptStates = options.decideOnKeptStates ?? false;
  }

  /**
   * Decides `decision` in the batch of `key` (see handleMultiStreamCommand for its form; its
   * states include the decisions of the batch's earlier commands) and resolves with what it
   * decided once that is appended.
   */
  async submit<S extends DecisionStreams>(key: string, decision: MultiStreamDecision<S>): Promise<Decision<S>> {
    const lowered = byStreamName(decision);
    await this.enqueue(key, lowered);
    return lowered.decided();
  }

  private enqueue(key: string, command: StreamDecision): Promise<Map<string, NewEvent[]>> {
    return new Promise((resolve, reject) => {
      const queued = this.queues.get(key);
      if (queued) {
        queued.push({ command, resolve, reject });
        return;
      }
      this.queues.set(key, [{ command, resolve, reject }]);
      this.scope.runInAsyncScope(() => void this.drain(key));
    });
  }

  private async drain(key: string): Promise<void> {
    for (;;) {
      const queued = this.queues.get(key)!;
      if (queued.length === 0) {
        this.queues.delete(key);
        return;
      }
      const batch = queued.splice(0, this.maxBatch);
      try {
        // The batch may grow while it waits for its streams' lock (decideUnderLock): it resolves them all.
        const outcomes = await this.decideAndAppend(batch, queued);
        outcomes.forEach((outcome, i) =>
          'error' in outcome ? batch[i].reject(outcome.error) : batch[i].resolve(outcome.decided),
        );
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
  }

  private async decideAndAppend(batch: Pending[], queued: Pending[]): Promise<Outcome[]> {
    const streams = new Map(batch.flatMap(({ command }) => command.streams).map((stream) => [stream.name, stream]));
    const names = [...streams.keys()];
    return retryingOnConflict(names, 100, async (attempt) => {
      // The previous attempt's append found that another process had appended first.
      if (attempt > 1) for (const name of names) this.contended.seen(name);
      if (this.store.capabilities.lockedDecisions && names.some((name) => this.contended.isContended(name)))
        return this.decideUnderLock(batch, queued, streams);
      const commands = batch.map((pending) => pending.command);
      const kept = attempt === 1 && this.decideOnKeptStates ? keptStates(streams) : undefined;
      const onKept = kept && decideBatch(commands, streams, kept);
      if (onKept && appendsToEveryStreamRead(commands, onKept.outcomes)) return this.append(streams, kept!, onKept);
      const loaded = new Map(
        await Promise.all(
          [...streams.values()].map(
            async (stream) => [stream.name, await stream.states.load(this.store, stream.name)] as const,
          ),
        ),
      );
      // Streams that had not moved: the batch was decided on them as they stand.
      const unmoved = onKept && [...loaded].every(([name, { version }]) => kept!.get(name)!.version === version);
      return this.append(streams, loaded, unmoved ? onKept : decideBatch(commands, streams, loaded));
    });
  }

  /** Appends the batch's events at the versions its states were read at, and keeps the states they lead to. */
  private async append(
    streams: ReadonlyMap<string, DecisionStream>,
    read: ReadonlyMap<string, LoadedState<unknown>>,
    batch: DecidedBatch,
  ): Promise<Outcome[]> {
    const appends = appendsOf(read, batch);
    if (appends.length > 0) {
      await this.store.appendToStreams(appends);
      remember(streams, appends, batch);
    }
    return batch.outcomes;
  }

  /**
   * Decides the batch under its streams' locks, on the kept states caught up with what was
   * appended after them: states as current as a read's (a refusal on them needs no second look),
   * with no read before and no failed append. Events of another process's in that catch-up keep
   * the stream contended; a stream only this process writes again leaves the mode once the
   * window has passed. The commands queued behind the batch while it waited for the lock join it
   * (those on its streams, up to maxBatch): with replicas taking turns, a command would otherwise
   * wait for the batch in flight, the other replica's turn, and then its own.
   */
  private async decideUnderLock(
    batch: Pending[],
    queued: Pending[],
    streams: ReadonlyMap<string, DecisionStream>,
  ): Promise<Outcome[]> {
    let decided!: DecidedBatch;
    let appends: AppendAtVersion[] = [];
    const reads = [...streams.values()].map(({ name, states }) => ({
      streamName: name,
      afterVersion: states.kept(name)?.version ?? 0,
    }));
    await this.store.decideUnderLock(reads, (caughtUp) => {
      const read = new Map(
        reads.map(({ streamName, afterVersion }) => {
          const newer = caughtUp.get(streamName)!;
          if (afterVersion > 0 && newer.events.length > 0) this.contended.seen(streamName);
          return [streamName, streams.get(streamName)!.states.catchUp(streamName, newer)] as const;
        }),
      );
      let joining = 0;
      while (
        batch.length + joining < this.maxBatch &&
        joining < queued.length &&
        queued[joining].command.streams.every(({ name }) => streams.has(name))
      )
        joining++;
      batch.push(...queued.splice(0, joining));
      decided = decideBatch(
        batch.map((pending) => pending.command),
        streams,
        read,
      );
      appends = appendsOf(read, decided);
      return appends;
    });
    remember(streams, appends, decided);
    return decided.outcomes;
  }
}

/** An append at the version its stream's state was read at. */
type AppendAtVersion = StreamAppend & { expectedVersion: number };

interface DecidedBatch {
  outcomes: Outcome[];
  /** The events to append, by stream. */
  pending: Map<string, NewEvent[]>;
  /** Each stream's state after them. */
  states: Map<string, unknown>;
}

/** The batch's appends, each stream's at the version its state was read at. */
function appendsOf(read: ReadonlyMap<string, LoadedState<unknown>>, { pending }: DecidedBatch): AppendAtVersion[] {
  return [...pending].map(([streamName, events]) => ({
    streamName,
    events,
    expectedVersion: read.get(streamName)!.version,
  }));
}

/** After the appends: the states already include them, so the next batch need not fold them again. */
function remember(
  streams: ReadonlyMap<string, DecisionStream>,
  appends: AppendAtVersion[],
  { states }: DecidedBatch,
): void {
  for (const { streamName, events, expectedVersion } of appends) {
    streams.get(streamName)!.states.remember(streamName, {
      version: expectedVersion + events.length,
      state: states.get(streamName),
    });
  }
}

/** Decides the commands one after another, each on the states its predecessors' events led to. */
function decideBatch(
  commands: StreamDecision[],
  streams: ReadonlyMap<string, DecisionStream>,
  read: ReadonlyMap<string, LoadedState<unknown>>,
): DecidedBatch {
  const states = new Map([...read].map(([name, { state }]) => [name, state]));
  const pending = new Map<string, NewEvent[]>();
  const outcomes: Outcome[] = commands.map((command) => {
    try {
      const decided = command.decide(states);
      for (const [name, events] of decided) {
        if (events.length === 0) continue;
        states.set(name, streams.get(name)!.states.applyPending(states.get(name), events));
        pending.set(name, [...(pending.get(name) ?? []), ...events]);
      }
      return { decided };
    } catch (error) {
      return { error };
    }
  });
  return { outcomes, pending, states };
}

/** The states this process kept of every stream of the batch, or undefined if one is not kept. */
function keptStates(streams: ReadonlyMap<string, DecisionStream>): Map<string, LoadedState<unknown>> | undefined {
  const kept = new Map<string, LoadedState<unknown>>();
  for (const { name, states } of streams.values()) {
    const state = states.kept(name);
    if (!state) return undefined;
    kept.set(name, state);
  }
  return kept;
}

/**
 * Whether every command was granted and appends to every stream it read: then the append's
 * expected versions prove each decision was made on its streams as they stand. A refusal, a
 * decision with nothing to append, or a stream only read could rest on a state another process
 * has moved past, which no version check would catch.
 */
function appendsToEveryStreamRead(commands: StreamDecision[], outcomes: Outcome[]): boolean {
  return outcomes.every(
    (outcome, i) =>
      'decided' in outcome && commands[i].streams.every(({ name }) => (outcome.decided.get(name)?.length ?? 0) > 0),
  );
}
