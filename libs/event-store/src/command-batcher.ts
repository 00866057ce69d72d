import { AsyncResource } from 'node:async_hooks';
import { retryingOnConflict } from './command-handler';
import type { EventStore, NewEvent } from './event-store';
import {
  byStreamName,
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

/**
 * Group commit for hot aggregates. Commands with the same key that arrive while a batch is being
 * decided and appended wait; then they are decided one after another on the evolving states and
 * appended together, in one transaction at the versions read. A command that is refused does not
 * affect the others of its batch; a version conflict (another process) decides the whole batch again.
 */
export class CommandBatcher {
  private readonly queues = new Map<string, Pending[]>();
  /**
   * A batch serves several requests: it runs in the async context the batcher was made in, not
   * in that of whichever request started its queue, whose request-scoped state (its deadline, see
   * @lm/service-kit's late requests) would otherwise apply to every later request it serves.
   */
  private readonly scope = new AsyncResource('CommandBatcher');

  constructor(
    private readonly store: EventStore,
    private readonly maxBatch = 64,
  ) {}

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
        const outcomes = await this.decideAndAppend(batch.map((pending) => pending.command));
        outcomes.forEach((outcome, i) =>
          'error' in outcome ? batch[i].reject(outcome.error) : batch[i].resolve(outcome.decided),
        );
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
  }

  private async decideAndAppend(commands: StreamDecision[]): Promise<Outcome[]> {
    const streams = new Map(commands.flatMap((command) => command.streams).map((stream) => [stream.name, stream]));
    return retryingOnConflict([...streams.keys()], 100, async () => {
      const loaded = await Promise.all(
        [...streams.values()].map(
          async (stream) => [stream.name, await stream.states.load(this.store, stream.name)] as const,
        ),
      );
      const states = new Map(loaded.map(([name, { state }]) => [name, state as unknown]));
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
      const versions = new Map(loaded.map(([name, { version }]) => [name, version]));
      const appends = [...pending].map(([streamName, events]) => ({
        streamName,
        events,
        expectedVersion: versions.get(streamName) ?? 0,
      }));
      if (appends.length > 0) {
        await this.store.appendToStreams(appends);
        // The states already include what was appended: the next batch need not fold it again.
        for (const { streamName, events, expectedVersion } of appends) {
          streams
            .get(streamName)!
            .states.remember(streamName, { version: expectedVersion + events.length, state: states.get(streamName) });
        }
      }
      return outcomes;
    });
  }
}
