import { existsSync } from 'node:fs';

export interface TestInfrastructure {
  natsUrl: string;
  databaseUrl: string;
  stop: () => Promise<void>;
}

const LOCAL_NATS = 'nats://127.0.0.1:4222';
const LOCAL_DATABASE = 'postgres://postgres@127.0.0.1:5432/test';

function containerRuntimeAvailable(): boolean {
  if (process.env.DOCKER_HOST) return true;
  return existsSync('/var/run/docker.sock');
}

/**
 * NATS (with JetStream) and PostgreSQL for tests and load suites: taken from NATS_URL and
 * DATABASE_URL when set, otherwise started as containers. Without either, the local defaults.
 */
export async function startTestInfrastructure(): Promise<TestInfrastructure> {
  const fromEnv = { natsUrl: process.env.NATS_URL, databaseUrl: process.env.DATABASE_URL };
  if ((fromEnv.natsUrl && fromEnv.databaseUrl) || !containerRuntimeAvailable()) {
    if (!fromEnv.natsUrl || !fromEnv.databaseUrl) {
      console.warn('[test] NATS_URL/DATABASE_URL unset and no container runtime: using local defaults');
    }
    return {
      natsUrl: fromEnv.natsUrl ?? LOCAL_NATS,
      databaseUrl: fromEnv.databaseUrl ?? LOCAL_DATABASE,
      stop: async () => {},
    };
  }
  const { GenericContainer, Wait } = await import('testcontainers');
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const [nats, postgres] = await Promise.all([
    fromEnv.natsUrl
      ? undefined
      : new GenericContainer('nats:2.10-alpine')
          .withCommand(['-js'])
          .withExposedPorts(4222)
          .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
          .start(),
    fromEnv.databaseUrl ? undefined : new PostgreSqlContainer('postgres:16-alpine').start(),
  ]);
  return {
    natsUrl: fromEnv.natsUrl ?? `nats://${nats!.getHost()}:${nats!.getMappedPort(4222)}`,
    databaseUrl: fromEnv.databaseUrl ?? postgres!.getConnectionUri(),
    stop: async () => {
      await Promise.all([nats?.stop(), postgres?.stop()]);
    },
  };
}
