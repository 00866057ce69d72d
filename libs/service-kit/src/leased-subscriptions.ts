import type { EventStore, Subscription } from '@lm/event-store';
import { appendedSubject } from '@lm/messaging';
import { JSONCodec, type NatsConnection, type Subscription as NatsSubscription } from 'nats';
import { SubscriptionLease } from './subscription-lease';

const typesCodec = JSONCodec<string[]>();

export interface LeasedSubscriptionsOptions {
  service: string;
  schema: string;
  store: EventStore;
  nc: NatsConnection;
  /** The service's database, where the lease is held. */
  connectionString: string;
  /** The lease's retry and check interval (LM_SUBSCRIPTION_LEASE_INTERVAL_MS). */
  intervalMs: number;
  /** Starts the event relay: the first thing started on taking the lease, the last stopped. */
  startRelay: () => Subscription;
  /** Starts the definition's store subscriptions. */
  startSubscriptions: () => Subscription[];
  /** Told when this replica takes the lease and loses it (the metrics' gauge). */
  onHeld: (held: boolean) => void;
  logger: { log(message: string): void; warn(message: string): void; error(message: string): void };
}

/**
 * The event relay and the store subscriptions of a service, run by one replica at a time: the one
 * holding the SubscriptionLease. The others stand by; they still append, and tell the holder
 * which event types they appended (core NATS, at most one message per turn of their event loop),
 * so that its subscriptions of those types read them at once, as they would a local append,
 * instead of at their next poll (up to a second when idle).
 */
export class LeasedSubscriptions {
  private running?: { relay: Subscription; subscriptions: Subscription[]; wakes: NatsSubscription };
  /** Starts and stops, one after another in the order the lease changed. */
  private transitions: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly lease: SubscriptionLease;
  private readonly stopTelling: () => void;

  constructor(private readonly options: LeasedSubscriptionsOptions) {
    const { schema, connectionString, intervalMs, logger } = options;
    this.stopTelling = this.tellHolderOfAppends();
    this.lease = new SubscriptionLease({
      connectionString,
      schema,
      intervalMs,
      logger,
      onChange: (held) => {
        options.onHeld(held);
        this.transitions = this.transitions.then(() => (held ? this.start() : this.stop()));
      },
    });
  }

  /** Stops the subscriptions, then the relay (subscriptions may append), then gives the lease up. */
  async close(): Promise<void> {
    this.closed = true;
    this.stopTelling();
    this.transitions = this.transitions.then(() => this.stop());
    await this.transitions;
    await this.lease.close();
    this.options.onHeld(false);
  }

  private start(): void {
    if (this.closed || this.running) return;
    const { service, store, nc, startRelay, startSubscriptions, logger } = this.options;
    try {
      const wakes = nc.subscribe(appendedSubject(service), {
        callback: (error, message) => {
          if (error) return;
          let types: unknown;
          try {
            types = typesCodec.decode(message.data);
          } catch {
            return; // not a replica's message: nothing to wake
          }
          if (Array.isArray(types)) store.wakeSubscriptions(new Set(types.map(String)));
        },
      });
      this.running = { relay: startRelay(), subscriptions: startSubscriptions(), wakes };
    } catch (error) {
      // Only a closed NATS connection refuses a subscription: the process is stopping.
      logger.error(
        `could not start the store subscriptions: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private async stop(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    if (!running) return;
    running.wakes.unsubscribe();
    await Promise.all(running.subscriptions.map((subscription) => subscription.stop()));
    await running.relay.stop();
  }

  /** While standing by, publishes the types of this replica's appends, gathered over one event-loop turn. */
  private tellHolderOfAppends(): () => void {
    const { service, store, nc } = this.options;
    const pending = new Set<string>();
    return store.onAppended((types) => {
      if (this.lease.held) return;
      const scheduled = pending.size > 0;
      for (const type of types) pending.add(type);
      if (scheduled) return;
      setImmediate(() => {
        const appended = [...pending];
        pending.clear();
        try {
          nc.publish(appendedSubject(service), typesCodec.encode(appended));
        } catch {
          // A closed connection: the process is stopping; the holder's next poll finds the events.
        }
      });
    });
  }
}
