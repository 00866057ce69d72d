import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type RunningSystem } from '../support/system';
import { MixedWriteLoad, watchHealth } from './mixed-write-load';
import { startPrivatePostgres, type PrivatePostgres } from './private-postgres';

const OPERATION_TIMEOUT_MS = 3_000;
const POSTGRES_DOWN_MS = 10_000;

describe('PostgreSQL restarted in the middle of a mixed write load', () => {
  let postgres: PrivatePostgres;
  let system: RunningSystem;
  const sharedServer = process.env.DATABASE_URL;

  beforeAll(async () => {
    // A server of this test's own: the machine's shared one is never restarted. The system's
    // database is made on it (startSystem makes it on DATABASE_URL's server).
    postgres = await startPrivatePostgres();
    process.env.DATABASE_URL = postgres.url;
    system = await startSystem({ LM_OPERATION_TIMEOUT_MS: String(OPERATION_TIMEOUT_MS) });
  });
  afterAll(async () => {
    await system?.stop();
    process.env.DATABASE_URL = sharedServer;
    await postgres?.dispose();
  });

  it('recovers its pools without a restart, says so on /health, answers 503 or succeeds meanwhile, and loses or repeats nothing', async () => {
    const load = await MixedWriteLoad.prepare(system);
    let running = true;
    const loading = load.run(() => running);
    loading.catch(() => undefined);
    const health = watchHealth(system, () => running);
    await sleep(3_000);

    const inFlightAtKill = load.record.inFlight;
    const before = load.counts();
    const killedAt = Date.now();
    await postgres.stop('SIGQUIT');
    await sleep(POSTGRES_DOWN_MS);
    const downUntil = Date.now();
    await postgres.start();
    // No service is restarted: their pools open new sessions by themselves.
    await system.waitHealthy();
    const restoredAt = Date.now();
    const atRecovery = load.counts();
    await sleep(3_000);
    running = false;
    await loading;
    const samples = await health;
    const after = load.counts();

    // The restart hit live traffic, answered 503 or not at all only while it lasted, and writes went on.
    load.expectOutageAnswered({ killedAt, restoredAt, inFlightAtKill, before, atRecovery, after });
    // /health said the services were down while the database was, and healthy again after.
    const duringOutage = samples.filter((sample) => sample.at > killedAt + 1_000 && sample.at < downUntil);
    expect(duringOutage.length).toBeGreaterThan(0);
    for (const sample of duringOutage) {
      expect(sample.status).toBe(503);
      expect(Object.values(sample.body.services ?? {}).some((up) => !up)).toBe(true);
    }
    const afterRecovery = samples.filter((sample) => sample.at > restoredAt);
    expect(afterRecovery.length).toBeGreaterThan(0);
    expect(afterRecovery.every((sample) => sample.status === 200)).toBe(true);

    await load.expectNothingLost(process.env.NATS_URL!);
  });
});
