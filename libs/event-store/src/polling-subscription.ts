import type { CheckpointStore, EventStore, SubscribeOptions, Subscription, TypedReadPage } from './event-store';
import { describeError, type EventStoreLogger } from './logger';

export const DEFAULT_POLL_INTERVAL_MS = 100;
/**
 * The longest pause between two reads that found nothing. An idle store is read less and less
 * often, up to this: on a small machine, ten reads a second by every subscription of every
 * service took a noticeable share of the cores from requests. An append of this process wakes
 * its subscriptions at once, so the pause only delays events appended by other processes.
 */
export const DEFAULT_MAX_POLL_INTERVAL_MS = 1_000;
/**
 * How long after the last wake or event the pause stays at its shortest. A read right after a
 * wake can find nothing because another transaction, anywhere on the server, still holds the
 * events back (readAll's horizon); backing off then would delay them by up to the longest pause.
 */
const ACTIVE_WINDOW_MS = 2_000;
const DEFAULT_BATCH_SIZE = 100;
const FIRST_RETRY_DELAY_MS = 250;
const MAX_RETRY_DELAY_MS = 5_000;

/**
 * A durable subscription that polls readAll from its checkpoint (readAllOfTypes when it names its
 * event types). The checkpoint moves only after the handler resolves, so delivery is
 * at-least-once across restarts; past events of other types it moves without calling the handler,
 * so that the same stretch is not looked through again, here or after a restart. Failures (of the
 * handler or of the store) are logged and retried with a growing delay: the loop never ends on its own.
 */
export class PollingSubscription implements Subscription {
  private running = true;
  /** Set by wake() so that a nudge arriving just before the loop goes to sleep is not lost. */
  private woken = false;
  private interruptSleep?: () => void;
  private readonly loop: Promise<void>;

  constructor(
    private readonly source: Pick<EventStore, 'readAll' | 'readAllOfTypes'> & { checkpoints: CheckpointStore },
    // Any union: the registry holds the subscriptions of every handler's events.
    private readonly options: SubscribeOptions<any>,
    private readonly logger: EventStoreLogger,
  ) {
    this.loop = this.run();
  }

  /**
   * Polls now instead of at the end of the current interval (used after local appends). An
   * append of none of the subscription's types does not wake it: nothing in it is for the handler,
   * and the next poll moves the checkpoint past it all the same.
   */
  wake(appendedTypes?: ReadonlySet<string>): void {
    const { eventTypes } = this.options;
    if (appendedTypes && eventTypes && !eventTypes.some((type: string) => appendedTypes.has(type))) return;
    this.woken = true;
    this.interruptSleep?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    const {
      name,
      handler,
      batchSize = DEFAULT_BATCH_SIZE,
      pollIntervalMs = DEFAULT_POLL_INTERVAL_MS,
      maxPollIntervalMs = Math.max(pollIntervalMs, DEFAULT_MAX_POLL_INTERVAL_MS),
      checkpointIntervalMs = 0,
      lingerMs = 0,
    } = this.options;
    let position: string | undefined;
    /** Whether `position` has moved past the stored checkpoint, and when the checkpoint was last stored. */
    let unstored = false;
    let storedAt = -Infinity;
    const store = async () => {
      await this.source.checkpoints.store(name, position!);
      unstored = false;
      storedAt = performance.now();
    };
    const sinceStored = () => performance.now() - storedAt;
    /** Doubles with each read that finds nothing once the store has been idle for ACTIVE_WINDOW_MS. */
    let idlePause = pollIntervalMs;
    /** On the monotonic clock: the wall clock stepped back would keep the store "active" for hours. */
    let lastActivity = -Infinity;
    let checkpointLoaded = false;
    let failures = 0;
    while (this.running) {
      try {
        if (!checkpointLoaded) {
          position = await this.source.checkpoints.load(name);
          checkpointLoaded = true;
        }
        const { events, readThrough, reachedEnd } = await this.readNext(position, batchSize);
        if (!this.running) break;
        if (events.length > 0) {
          lastActivity = performance.now();
          idlePause = pollIntervalMs;
          await handler(events);
        }
        if (readThrough !== undefined) {
          // Advance in memory first: if storing fails, this process still does not redeliver.
          position = readThrough;
          unstored = true;
        }
        if (unstored && sinceStored() >= checkpointIntervalMs) await store();
        failures = 0;
        // Read on at once after a read that stopped early, and after events once the linger has
        // passed; events of other types only are no activity for this subscription: it polls for
        // them at its idle pace.
        if (!reachedEnd) continue;
        if (events.length > 0) {
          await this.linger(lingerMs);
          continue;
        }
        // A position not stored yet is stored once its interval has passed, even if nothing comes.
        const pause = unstored ? Math.min(idlePause, checkpointIntervalMs - sinceStored()) : idlePause;
        if (await this.sleep(pause)) lastActivity = performance.now();
        idlePause =
          performance.now() - lastActivity < ACTIVE_WINDOW_MS
            ? pollIntervalMs
            : Math.min(idlePause * 2, maxPollIntervalMs);
      } catch (error) {
        failures += 1;
        this.logger.error(`subscription ${name} failed (attempt ${failures}), will retry: ${describeError(error)}`);
        await this.sleep(Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** (failures - 1)));
      }
    }
    if (unstored)
      await store().catch((error: unknown) =>
        this.logger.error(`subscription ${name} stopped without storing its checkpoint: ${describeError(error)}`),
      );
  }

  /** The next page from `after`: every event, or those of the subscription's types. */
  private async readNext(after: string | undefined, limit: number): Promise<TypedReadPage<any>> {
    const { eventTypes } = this.options;
    if (eventTypes) return this.source.readAllOfTypes({ types: eventTypes, after, limit });
    const events = await this.source.readAll({ after, limit });
    return { events, readThrough: events.at(-1)?.position, reachedEnd: events.length < limit };
  }

  /** Pauses for `ms`, whatever wakes it, unless stopped. */
  private async linger(ms: number): Promise<void> {
    if (ms <= 0) return;
    const until = performance.now() + ms;
    while (this.running && performance.now() < until) await this.sleep(until - performance.now());
    // Woken meanwhile: the next read finds those appends, which needs no other nudge.
    this.woken = false;
  }

  /** Pauses for `ms` or until wake(); resolves true when woken. */
  private async sleep(ms: number): Promise<boolean> {
    if (this.woken || !this.running) {
      this.woken = false;
      return true;
    }
    const woken = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      this.interruptSleep = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
    this.interruptSleep = undefined;
    this.woken = false;
    return woken;
  }
}

/**
 * The subscriptions a store started, so that appends can nudge them and close() can stop them, and
 * the listeners told of each append (EventStore.onAppended).
 */
export class SubscriptionRegistry {
  private readonly active = new Set<PollingSubscription>();
  private readonly appendListeners = new Set<(types: ReadonlySet<string>) => void>();

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

  /** After an append of events of `types` by this store: wakes the subscriptions and tells the listeners. */
  appended(types: ReadonlySet<string>): void {
    this.wakeAll(types);
    for (const listener of this.appendListeners) listener(types);
  }

  onAppended(listener: (types: ReadonlySet<string>) => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  /** After an append of events of `types` (here or elsewhere): wakes the subscriptions that read any of them. */
  wakeAll(types: ReadonlySet<string>): void {
    for (const subscription of this.active) subscription.wake(types);
  }

  async stopAll(): Promise<void> {
    const stopping = [...this.active].map((subscription) => subscription.stop());
    this.active.clear();
    await Promise.all(stopping);
  }
}
