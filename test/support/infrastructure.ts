import { existsSync } from 'node:fs';
import {
  LOCAL_DATABASE_URL,
  LOCAL_NATS_URL,
  localInfrastructureNeeds,
  startEmbeddedInfrastructure,
} from '../../infra/local-infrastructure/local-infrastructure.mjs';

export interface TestInfrastructure {
  natsUrl: string;
  databaseUrl: string;
  /** Only when EVENTSTORE_URL is set or a container could be started: the EventStoreDB adapter's tests need it. */
  eventStoreUrl?: string;
  stop: () => Promise<void>;
}

function containerRuntimeAvailable(): boolean {
  if (process.env.DOCKER_HOST) return true;
  return existsSync('/var/run/docker.sock');
}

/**
 * NATS (with JetStream), PostgreSQL and EventStoreDB for tests and load suites, each from the first
 * of: NATS_URL, DATABASE_URL and EVENTSTORE_URL when set; the local defaults (127.0.0.1:4222 and
 * :5432) when they answer; containers when a container runtime is there; else what npm start
 * would start (the embedded PostgreSQL and nats-server from the PATH, see
 * infra/local-infrastructure), with no EventStoreDB.
 */
export async function startTestInfrastructure(): Promise<TestInfrastructure> {
  const needs = await localInfrastructureNeeds(process.env);
  const fromEnvOrLocal = {
    natsUrl: process.env.NATS_URL ?? (needs.nats ? undefined : LOCAL_NATS_URL),
    databaseUrl: process.env.DATABASE_URL ?? (needs.postgres ? undefined : LOCAL_DATABASE_URL),
    eventStoreUrl: process.env.EVENTSTORE_URL,
  };
  if (containerRuntimeAvailable()) return startContainers(fromEnvOrLocal);
  const local = await startEmbeddedInfrastructure(needs, {
    log: (message: string) => console.log(`[test] ${message}`),
  });
  return {
    natsUrl: fromEnvOrLocal.natsUrl ?? local.env.NATS_URL!,
    databaseUrl: fromEnvOrLocal.databaseUrl ?? local.env.DATABASE_URL!,
    eventStoreUrl: fromEnvOrLocal.eventStoreUrl,
    stop: local.stop,
  };
}

/** Containers for what is not given (testcontainers): NATS, PostgreSQL, EventStoreDB. */
async function startContainers(given: {
  natsUrl?: string;
  databaseUrl?: string;
  eventStoreUrl?: string;
}): Promise<TestInfrastructure> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const [nats, postgres, eventStore] = await Promise.all([
    given.natsUrl
      ? undefined
      : new GenericContainer('nats:2.10-alpine')
          .withCommand(['-js'])
          .withExposedPorts(4222)
          .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
          .start(),
    given.databaseUrl ? undefined : new PostgreSqlContainer('postgres:16-alpine').start(),
    given.eventStoreUrl
      ? undefined
      : new GenericContainer('eventstore/eventstore:24.10')
          .withEnvironment({ EVENTSTORE_INSECURE: 'true', EVENTSTORE_MEM_DB: 'true', EVENTSTORE_CLUSTER_SIZE: '1' })
          .withExposedPorts(2113)
          .withWaitStrategy(Wait.forHttp('/health/live', 2113).forStatusCode(204))
          .start(),
  ]);
  return {
    natsUrl: given.natsUrl ?? `nats://${nats!.getHost()}:${nats!.getMappedPort(4222)}`,
    databaseUrl: given.databaseUrl ?? postgres!.getConnectionUri(),
    eventStoreUrl:
      given.eventStoreUrl ?? `esdb://${eventStore!.getHost()}:${eventStore!.getMappedPort(2113)}?tls=false`,
    stop: async () => {
      await Promise.all([nats?.stop(), postgres?.stop(), eventStore?.stop()]);
    },
  };
}
