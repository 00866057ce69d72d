import type { EventStoreKind } from '@lm/event-store';
import { DURABLE_CONSUMER_ACK_WAIT_MS, DURABLE_CONSUMER_BATCH_SIZE, EVENT_RELAY_MAX_IN_FLIGHT } from '@lm/messaging';
import {
  InvalidSettingError,
  list,
  milliseconds,
  oneOf,
  positiveInteger,
  readSettings,
  setting,
  tcpPort,
  text,
  type Environment,
} from './settings';

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const DEFAULT_REGION = 'us-east-1';
/** How long start-up waits at most for PostgreSQL and NATS to answer: with loading, it stops well within 30 s. */
export const DEFAULT_STARTUP_TIMEOUT_MS = 15_000;
export const DEFAULT_METRICS_HOST = '0.0.0.0';
export const DEFAULT_SUBSCRIPTION_LEASE_INTERVAL_MS = 1_000;

/** `<SERVICE>_DATABASE_URL` (e.g. LICENSING_DATABASE_URL), so services can be spread over servers. */
export const serviceDatabaseVariable = (service: string) => `${service.toUpperCase().replace(/-/g, '_')}_DATABASE_URL`;

/** What every service reads, whatever its own settings. */
export const commonSettings = (service: string) => ({
  /** NATS_URL: the servers, comma-separated. */
  natsServers: list('NATS_URL', [DEFAULT_NATS_URL]),
  /** LM_REGION: the Region this deployment serves. */
  region: text('LM_REGION', DEFAULT_REGION),
  /** `<SERVICE>_DATABASE_URL`, else DATABASE_URL. */
  databaseUrl: setting(serviceDatabaseVariable(service), (raw, env) => raw ?? env.DATABASE_URL ?? DEFAULT_DATABASE_URL),
  /** DATABASE_POOL_SIZE: connections of the service's pool. */
  databasePoolSize: positiveInteger('DATABASE_POOL_SIZE', 20),
  /** LM_CONSUMER_BATCH_SIZE: how many delivered events a durable consumer applies in one transaction at most. */
  consumerBatchSize: positiveInteger('LM_CONSUMER_BATCH_SIZE', DURABLE_CONSUMER_BATCH_SIZE),
  /**
   * LM_CONSUMER_ACK_WAIT_MS: how long JetStream waits for a durable consumer's ack before delivering
   * again; at least a second, or events still being applied would come again.
   */
  consumerAckWaitMs: milliseconds('LM_CONSUMER_ACK_WAIT_MS', DURABLE_CONSUMER_ACK_WAIT_MS, { min: 1_000 }),
  /** LM_RELAY_MAX_IN_FLIGHT: how many publishes of the event relay wait for their JetStream ack at once at most. */
  relayMaxInFlight: positiveInteger('LM_RELAY_MAX_IN_FLIGHT', EVENT_RELAY_MAX_IN_FLIGHT),
  /**
   * LM_SUBSCRIPTION_LEASE_INTERVAL_MS: how often a standby replica tries to take the lease that lets
   * one replica of a service run its relay and store subscriptions, and how often the holder checks
   * its session; a replica takes over within about this long of the holder's end.
   */
  subscriptionLeaseIntervalMs: milliseconds(
    'LM_SUBSCRIPTION_LEASE_INTERVAL_MS',
    DEFAULT_SUBSCRIPTION_LEASE_INTERVAL_MS,
    {
      min: 100,
    },
  ),
  /** EVENT_STORE selects the adapter; EVENTSTORE_URL locates EventStoreDB when it is chosen. */
  eventStore: eventStoreSetting(),
  /** LM_STARTUP_TIMEOUT_MS: how long start-up waits for PostgreSQL and NATS before giving up. */
  startupTimeoutMs: milliseconds('LM_STARTUP_TIMEOUT_MS', DEFAULT_STARTUP_TIMEOUT_MS),
  /**
   * LM_METRICS_PORT: where the process serves GET /metrics, /health/live and /health/ready over
   * HTTP. Unset, it serves none: several services on one machine (npm start) would otherwise collide.
   */
  metricsPort: tcpPort('LM_METRICS_PORT'),
  /** LM_METRICS_HOST: the address that port binds; every interface by default, as a container needs. */
  metricsHost: text('LM_METRICS_HOST', DEFAULT_METRICS_HOST),
});

export type CommonConfig = ReturnType<typeof readCommonConfig>;

export function readCommonConfig(service: string, env: Environment) {
  return readSettings(commonSettings(service), env);
}

function eventStoreSetting() {
  const kind = oneOf<EventStoreKind>('EVENT_STORE', ['postgres', 'eventstoredb'], 'postgres');
  return setting('EVENT_STORE', (_raw, env): { kind: EventStoreKind; url?: string } => {
    const chosen = kind.read(env);
    const url = text('EVENTSTORE_URL').read(env);
    if (chosen === 'eventstoredb' && !url)
      throw new InvalidSettingError('EVENT_STORE=eventstoredb needs EVENTSTORE_URL');
    return { kind: chosen, url };
  });
}
