import type { CheckpointStore, EventStore, SubscribeOptions, Subscription } from './event-store';
import { describeError, type EventStoreLogger } from './logger';

export const DEFAULT_POLL_INTERVAL_MS = 100;
const DEFAULT_BATCH_SIZE = 100;
const FIRST_RETRY_DELAY_MS = 250;
const MAX_RETRY_DELAY_MS = 5_000;

/**
 * A durable subscription that polls readAll from its checkpoint. The checkpoint moves only after
 * the handler resolves, so delivery is at-least-once across restarts. Failures (of the handler or
 * of the store) are logged and retried with a growing delay: the loop never ends on its own.
 */
export class PollingSubscription implements Subscription {
  private running = true;
  /** Set by wake() so that a nudge arriving just before the loop goes to sleep is not lost. */
  private woken = false;
  private interruptSleep?: () => void;
  private readonly loop: Promise<void>;

  constructor(
    private readonly source: Pick<EventStore, 'readAll'> & { checkpoints: CheckpointStore },
    // Any union: the registry holds the subscriptions of every handler's events.
    private readonly options: SubscribeOptions<any>,
    private readonly logger: EventStoreLogger,
  ) {
    this.loop = this.run();
  }

  /** Polls now instead of at the end of the current interval (used after local appends). */
  wake(): void {
    this.woken = true;
    this.interruptSleep?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { name, handler, batchSize = DEFAULT_BATCH_SIZE, pollIntervalMs = DEFAULT_POLL_INTERVAL_MS } = this.options;
    let position: string | undefined;
    let checkpointLoaded = false;
    let failures = 0;
    while (this.running) {
      try {
        if (!checkpointLoaded) {
          position = await this.source.checkpoints.load(name);
          checkpointLoaded = true;
        }
        const events = await this.source.readAll({ after: position, limit: batchSize });
        if (!this.running) break;
        if (events.length === 0) {
          await this.sleep(pollIntervalMs);
          continue;
        }
        await handler(events);
        // Advance in memory first: if storing fails, this process still does not redeliver.
        position = events[events.length - 1].position;
        await this.source.checkpoints.store(name, position);
        failures = 0;
      } catch (error) {
        failures += 1;
        this.logger.error(`subscription ${name} failed (attempt ${failures}), will retry: ${describeError(error)}`);
        await this.sleep(Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** (failures - 1)));
      }
    }
  }

  private async sleep(ms: number): Promise<void> {
    if (this.woken || !this.running) {
      this.woken = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.interruptSleep = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.interruptSleep = undefined;
    this.woken = false;
  }
}

/** The subscriptions a store started, so that appends can nudge them and close() can stop them. */
export class SubscriptionRegistry {
  private readonly active = new Set<PollingSubscription>();

  start(
    source: ConstructorParameters<typeof PollingSubscription>[0],
    options: SubscribeOptions<any>,
    logger: EventStoreLogger,
  ): Subscription {
    const subscription = new PollingSubscription(source, options, logger);
    this.active.add(subscription);
    return {
      stop: async () => {
        this.active.delete(subscription);
        await subscription.stop();
      },
    };
  }

  wakeAll(): void {
    for (const subscription of this.active) subscription.wake();
  }

  async stopAll(): Promise<void> {
    const stopping = [...this.active].map((subscription) => subscription.stop());
    this.active.clear();
    await Promise.all(stopping);
  }
}
