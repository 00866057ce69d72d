import { startTestInfrastructure } from './infrastructure';

/**
 * Gives every test worker NATS_URL, DATABASE_URL and (when it can) EVENTSTORE_URL: the ones set in
 * the environment, or containers started with testcontainers when they are unset and a container
 * runtime exists.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const infra = await startTestInfrastructure();
  process.env.NATS_URL = infra.natsUrl;
  process.env.DATABASE_URL = infra.databaseUrl;
  if (infra.eventStoreUrl) process.env.EVENTSTORE_URL = infra.eventStoreUrl;
  return infra.stop;
}
