import { AsyncResource } from 'node:async_hooks';
import type { AppendResult, EventStore, NewEvent } from './event-store';

export interface NewStreamBatcherOptions {
  /** Streams started in one transaction at most (64 unless given). */
  maxBatch?: number;
  /**
   * How soon a submission's work must be done, read in its async context when it is submitted (its
   * request's deadline, say); sooner is smaller. See NewStreamBatcher for what it decides.
   */
  urgency?: () => number | undefined;
}

interface Pending {
  streamName: string;
  events: NewEvent[];
  /** The submitter's async context: its own append, if it comes to that, runs in it. */
  context: AsyncResource;
  urgency: number;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for streams that are being started (a create's fresh id): the appends that arrive
 * while a batch is being appended wait, then go together in one transaction (one `begin`, one
 * append statement, the guards' and projections' statements in the same round trips, one commit),
 * where each would have had its own. The first one after a quiet spell goes at once.
 *
 * A batch that fails is appended again one stream at a time, each in its own transaction: a
 * refusal (a guard's quota, a stream that exists after all) then reaches only the append it
 * belongs to, and the others are kept. Nothing is kept of a batch that failed, so no event is
 * appended twice.
 *
 * A batch runs in the async context of its most urgent submission (`urgency`): whatever that
 * context decides at commit (@lm/service-kit rolls back the commit of a request past its deadline)
 * then holds for the whole batch, and the others are appended alone again, each in its own context.
 * So a batch never commits the work of a request that was abandoned while it waited.
 *
 * On a store whose appends to several streams are not atomic (EventStoreDB), each append goes alone
 * at once: a batch that failed half-way could not be told apart from one that failed whole.
 */
export class NewStreamBatcher {
  private readonly queue: Pending[] = [];
  private draining = false;
  /** Batches run in the context the batcher was made in, not in that of the request that woke it. */
  private readonly scope = new AsyncResource('NewStreamBatcher');
  private readonly maxBatch: number;
  private readonly urgency: () => number | undefined;

  constructor(
    private readonly store: EventStore,
    options: NewStreamBatcherOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 64;
    this.urgency = options.urgency ?? (() => undefined);
  }

  /** Starts `streamName` with `events`; rejects as an append at `no_stream` would. */
  append(streamName: string, events: NewEvent[]): Promise<AppendResult> {
    if (!this.store.capabilities.atomicMultiStreamAppends)
      return this.store.append(streamName, events, { expectedVersion: 'no_stream' });
    return new Promise((resolve, reject) => {
      this.queue.push({
        streamName,
        events,
        context: new AsyncResource('NewStreamAppend'),
        urgency: this.urgency() ?? Infinity,
        resolve,
        reject,
      });
      if (this.draining) return;
      this.draining = true;
      this.scope.runInAsyncScope(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) await this.appendBatch(this.queue.splice(0, this.maxBatch));
    this.draining = false;
  }

  private async appendBatch(batch: Pending[]): Promise<void> {
    if (batch.length > 1 && (await this.appendedTogether(batch))) return;
    await Promise.all(
      batch.map((pending) =>
        pending.context
          .runInAsyncScope(() =>
            this.store.append(pending.streamName, pending.events, { expectedVersion: 'no_stream' }),
          )
          .then(pending.resolve, pending.reject),
      ),
    );
  }

  /** Whether the batch was appended in one transaction (each submission then resolved). */
  private async appendedTogether(batch: Pending[]): Promise<boolean> {
    const urgent = batch.reduce((most, pending) => (pending.urgency < most.urgency ? pending : most));
    try {
      const results = await urgent.context.runInAsyncScope(() =>
        this.store.appendToStreams(
          batch.map(({ streamName, events }) => ({ streamName, events, expectedVersion: 'no_stream' as const })),
        ),
      );
      batch.forEach((pending, i) => pending.resolve(results[i]));
      return true;
    } catch {
      return false;
    }
  }
}
