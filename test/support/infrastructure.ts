import { existsSync } from 'node:fs';

export interface TestInfrastructure {
  natsUrl: string;
  databaseUrl: string;
  /** Only when EVENTSTORE_URL is set or a container could be started: the EventStoreDB adapter's tests need it. */
  eventStoreUrl?: string;
  stop: () => Promise<void>;
}

const LOCAL_NATS = 'nats://127.0.0.1:4222';
const LOCAL_DATABASE = 'postgres://postgres@127.0.0.1:5432/test';

function containerRuntimeAvailable(): boolean {
  if (process.env.DOCKER_HOST) return true;
  return existsSync('/var/run/docker.sock');
}

/**
 * NATS (with JetStream), PostgreSQL and EventStoreDB for tests and load suites: taken from
 * NATS_URL, DATABASE_URL and EVENTSTORE_URL when set, otherwise started as containers. Without a
 * container runtime: the local defaults for NATS and PostgreSQL, and no EventStoreDB.
 */
export async function startTestInfrastructure(): Promise<TestInfrastructure> {
  const fromEnv = {
    natsUrl: process.env.NATS_URL,
    databaseUrl: process.env.DATABASE_URL,
    eventStoreUrl: process.env.EVENTSTORE_URL,
  };
  if (!containerRuntimeAvailable()) {
    if (!fromEnv.natsUrl || !fromEnv.databaseUrl) {
      console.warn('[test] NATS_URL/DATABASE_URL unset and no container runtime: using local defaults');
    }
    return {
      natsUrl: fromEnv.natsUrl ?? LOCAL_NATS,
      databaseUrl: fromEnv.databaseUrl ?? LOCAL_DATABASE,
      eventStoreUrl: fromEnv.eventStoreUrl,
      stop: async () => {},
    };
  }
  const { GenericContainer, Wait } = await import('testcontainers');
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const [nats, postgres, eventStore] = await Promise.all([
    fromEnv.natsUrl
      ? undefined
      : new GenericContainer('nats:2.10-alpine')
          .withCommand(['-js'])
          .withExposedPorts(4222)
          .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
          .start(),
    fromEnv.databaseUrl ? undefined : new PostgreSqlContainer('postgres:16-alpine').start(),
    fromEnv.eventStoreUrl
      ? undefined
      : new GenericContainer('eventstore/eventstore:24.10')
          .withEnvironment({ EVENTSTORE_INSECURE: 'true', EVENTSTORE_MEM_DB: 'true', EVENTSTORE_CLUSTER_SIZE: '1' })
          .withExposedPorts(2113)
          .withWaitStrategy(Wait.forHttp('/health/live', 2113).forStatusCode(204))
          .start(),
  ]);
  return {
    natsUrl: fromEnv.natsUrl ?? `nats://${nats!.getHost()}:${nats!.getMappedPort(4222)}`,
    databaseUrl: fromEnv.databaseUrl ?? postgres!.getConnectionUri(),
    eventStoreUrl:
      fromEnv.eventStoreUrl ?? `esdb://${eventStore!.getHost()}:${eventStore!.getMappedPort(2113)}?tls=false`,
    stop: async () => {
      await Promise.all([nats?.stop(), postgres?.stop(), eventStore?.stop()]);
    },
  };
}
