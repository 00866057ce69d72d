import { startTestInfrastructure } from './infrastructure';

/**
 * Gives every test worker NATS_URL, DATABASE_URL and (when it can) EVENTSTORE_URL: the ones set in
 * the environment, else the local defaults when they answer, else containers (testcontainers) when
 * a container runtime exists, else the embedded PostgreSQL and nats-server that npm start would
 * start; whatever was started is stopped when the run ends.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const infra = await startTestInfrastructure();
  process.env.NATS_URL = infra.natsUrl;
  process.env.DATABASE_URL = infra.databaseUrl;
  if (infra.eventStoreUrl) process.env.EVENTSTORE_URL = infra.eventStoreUrl;
  return infra.stop;
}
