import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type RunningSystem } from '../support/system';
import { MixedWriteLoad, watchHealth } from './mixed-write-load';
import { startPrivateNats, type PrivateNats } from './private-nats';

/** The gateway's operation timeout here: a request NATS cannot carry is answered 503 after it. */
const OPERATION_TIMEOUT_MS = 3_000;
/**
 * Longer than the NATS client's default reconnection (10 attempts 2 s apart): a connection that
 * gave up after those would never come back.
 */
const NATS_DOWN_MS = 25_000;

describe('NATS restarted in the middle of a mixed write load', () => {
  let nats: PrivateNats;
  let system: RunningSystem;

  beforeAll(async () => {
    // A server of this test's own: the machine's shared one is never restarted.
    nats = await startPrivateNats();
    system = await startSystem({ NATS_URL: nats.url, LM_OPERATION_TIMEOUT_MS: String(OPERATION_TIMEOUT_MS) });
  });
  afterAll(async () => {
    await system?.stop();
    await nats?.dispose();
  });

  it('reconnects by itself, answers 503 or succeeds meanwhile, and loses or repeats nothing', async () => {
    const load = await MixedWriteLoad.prepare(system);
    let running = true;
    const loading = load.run(() => running);
    loading.catch(() => undefined);
    const health = watchHealth(system, () => running);
    await sleep(3_000);

    const inFlightAtKill = load.record.inFlight;
    const before = load.counts();
    const killedAt = Date.now();
    await nats.stop('SIGKILL');
    await sleep(NATS_DOWN_MS);
    const downUntil = Date.now();
    await nats.start();
    // Nothing restarts the gateway or the services: they find the server again by themselves.
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

    // /health said NATS was down while it was (answering within its own bounds, never hanging), and healthy after.
    const duringOutage = samples.filter((sample) => sample.at > killedAt + 1_000 && sample.at < downUntil);
    expect(duringOutage.length).toBeGreaterThan(0);
    expect(duringOutage.filter((sample) => sample.status !== 503 || sample.body.nats !== false)).toEqual([]);
    const afterRecovery = samples.filter((sample) => sample.at > restoredAt);
    expect(afterRecovery.length).toBeGreaterThan(0);
    expect(afterRecovery.filter((sample) => sample.status !== 200)).toEqual([]);

    await load.expectNothingLost(nats.url);
  });
});
