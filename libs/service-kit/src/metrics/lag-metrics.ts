import type { EventStore } from '@lm/event-store';
import { EVENTS_STREAM } from '@lm/messaging';
import type { JetStreamManager, NatsConnection } from 'nats';
import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * How long a scrape waits for the lags to be measured. The gateway collects replicas' answers for
 * 250 ms, on machines that may be busy: a replica answers at once with the previous measure when
 * the database or JetStream is slow, and the measure in flight is shown at the next scrape.
 */
const SAMPLE_BUDGET_MS = 50;

export interface LagSources {
  store: EventStore;
  nc: NatsConnection;
  /** Checkpoints of what follows the store asynchronously: the JetStream relay, subscriptions, async projections. */
  checkpoints: readonly string[];
  /** Durable names of the service's JetStream consumers. */
  consumers: readonly string[];
}

/**
 * Gauges measured at each scrape: `lm_event_store_checkpoint_lag_seconds{checkpoint}`, how long
 * the oldest event past a checkpoint has been waiting (0 when it is at the store's head), and
 * `lm_consumer_pending_messages{consumer}`, the events JetStream holds for a durable consumer
 * that it has not yet acknowledged.
 */
export function registerLagMetrics(registry: Registry, sources: LagSources): void {
  // Both gauges wait for the same measure, so that a scrape shows both from it.
  const sample = withinBudget(() => measure());
  const checkpointLag = new Gauge({
    name: 'lm_event_store_checkpoint_lag_seconds',
    help: 'Age of the oldest event recorded after a checkpoint of the relay, a subscription or an async projection (0: caught up with the store).',
    labelNames: ['checkpoint'],
    registers: [registry],
    collect: sample,
  });
  const pending = new Gauge({
    name: 'lm_consumer_pending_messages',
    help: 'Events JetStream holds for a durable consumer: not yet delivered, or delivered and not yet acknowledged.',
    labelNames: ['consumer'],
    registers: [registry],
    collect: sample,
  });
  let jsm: Promise<JetStreamManager> | undefined;
  const measure = async () => {
    const now = Date.now();
    await Promise.all([
      ...sources.checkpoints.map(async (checkpoint) => {
        const after = await sources.store.checkpoints.load(checkpoint);
        const [oldest] = await sources.store.readAll({ after, limit: 1 });
        checkpointLag.set({ checkpoint }, oldest ? Math.max(0, now - oldest.recordedAt.getTime()) / 1000 : 0);
      }),
      ...sources.consumers.map(async (consumer) => {
        jsm ??= sources.nc.jetstreamManager();
        const info = await (await jsm).consumers.info(EVENTS_STREAM, consumer);
        pending.set({ consumer }, info.num_pending + info.num_ack_pending);
      }),
    ]);
  };
}

/** A measure that a scrape waits for at most SAMPLE_BUDGET_MS; one runs at a time. */
function withinBudget(measure: () => Promise<void>): () => Promise<void> {
  let inFlight: Promise<void> | undefined;
  return async () => {
    // A failed measure keeps the previous values: the next scrape measures again.
    inFlight ??= measure()
      .catch(() => undefined)
      .finally(() => (inFlight = undefined));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([inFlight, new Promise<void>((resolve) => (timer = setTimeout(resolve, SAMPLE_BUDGET_MS)))]);
    clearTimeout(timer);
  };
}

/** `lm_consumer_redeliveries_total{consumer}`: events JetStream delivered again to this replica's consumer. */
export function redeliveriesCounter(registry: Registry): (consumer: string, by?: number) => void {
  const counter = new Counter({
    name: 'lm_consumer_redeliveries_total',
    help: 'Events JetStream delivered again to a durable consumer (not acknowledged in time, or refused after a failure).',
    labelNames: ['consumer'],
    registers: [registry],
  });
  return (consumer, by = 1) => counter.inc({ consumer }, by);
}
