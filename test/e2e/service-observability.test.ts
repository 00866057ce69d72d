import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExposition } from '../support/metrics';
import { freePort, scriptOf } from '../support/system';
import { asServerAdmin, createTestDatabase, type TestDatabase } from '../support/test-database';

/** Polls `probe` every 100 ms until it returns something, or fails after `timeoutMs` saying what it waited for. */
async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe().catch(() => undefined);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** As the test's server administrator (the databases of pg_stat_activity are the server's). */
const asAdmin = (statement: string) => asServerAdmin((admin) => admin.query(statement));

/**
 * One real service process with LM_METRICS_PORT: its own HTTP port serves what Prometheus and
 * Kubernetes ask of it, and its readiness follows its database and its shutdown.
 */
describe('a service with LM_METRICS_PORT', () => {
  let database: TestDatabase;
  let databaseName: string;
  let child: ChildProcess;
  let output = '';
  let exited: Promise<number | null>;
  let base: string;
  const get = (path: string) => fetch(`${base}${path}`);
  /** `until`, failing with what the service logged. */
  const untilService = <T>(what: string, probe: () => Promise<T | undefined>) =>
    until(what, probe).catch((error: Error) => {
      throw new Error(`${error.message}\n${output}`);
    });

  beforeAll(async () => {
    database = await createTestDatabase('lm_observability');
    databaseName = new URL(database.url).pathname.slice(1);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [scriptOf('licensing')], {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        LICENSING_DATABASE_URL: undefined,
        LM_NATS_NAMESPACE: `observability-${port}-${process.pid}`,
        LM_METRICS_PORT: String(port),
        LM_METRICS_HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
    child.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
    exited = new Promise((resolve) => child.once('exit', resolve));
    await untilService('readiness', async () => ((await get('/health/ready')).status === 200 ? true : undefined));
  });

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    await asAdmin(`alter database ${databaseName} allow_connections true`).catch(() => undefined);
    await database?.drop();
  });

  it('serves its registry on GET /metrics: process metrics and its own families, labelled with the service', async () => {
    // The lags are measured within a scrape's budget (lag-metrics.ts): on a busy machine the first
    // measure may finish after the first scrape, and shows from the next one on.
    const { response, samples } = await untilService('the checkpoint lags on /metrics', async () => {
      const scrape = await get('/metrics');
      const scraped = parseExposition(await scrape.text());
      return scraped.some((sample) => sample.name === 'lm_event_store_checkpoint_lag_seconds')
        ? { response: scrape, samples: scraped }
        : undefined;
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const of = (name: string) => samples.filter((sample) => sample.name === name);
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds'])
      expect(of(name), name).toEqual([
        {
          name,
          labels: { service: 'licensing', instance: expect.stringMatching(new RegExp(`:${child.pid}$`)) },
          value: expect.any(Number),
        },
      ]);
    // The chassis's own families, as the gateway gathers them over NATS.
    expect(of('lm_event_store_checkpoint_lag_seconds').length).toBeGreaterThan(0);
    expect(of('lm_consumer_redeliveries_total').length).toBeGreaterThan(0);
    for (const sample of samples) expect(sample.labels.service).toBe('licensing');
  });

  it('is ready and live while it runs, and 404s any other path', async () => {
    const ready = await get('/health/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { lifecycle: 'ok', database: 'ok', nats: 'ok' } });
    expect((await get('/health/live')).status).toBe(200);
    expect((await get('/health')).status).toBe(404);
  });

  it('turns not ready, naming the database, when its database stops answering; liveness stays 200; ready again after', async () => {
    // The database refuses new sessions and its current ones are ended, as a server restart or failover does.
    await asAdmin(`alter database ${databaseName} allow_connections false`);
    await asAdmin(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${databaseName}'`);
    const report = await untilService('readiness to fail', async () => {
      const response = await get('/health/ready');
      return response.status === 503 ? ((await response.json()) as any) : undefined;
    });
    expect(report).toEqual({
      ready: false,
      checks: {
        lifecycle: 'ok',
        // A probe that ran on a pooled session when it was ended reads the termination; later ones, the refusal.
        database: expect.stringMatching(
          /^failed: .*(not currently accepting connections|terminating connection due to administrator command)/,
        ),
        nats: 'ok',
      },
    });
    expect((await get('/health/live')).status).toBe(200);
    expect(child.exitCode).toBeNull();

    await asAdmin(`alter database ${databaseName} allow_connections true`);
    await untilService('readiness to return', async () =>
      (await get('/health/ready')).status === 200 ? true : undefined,
    );
  });

  it('answers not ready from SIGTERM on, and exits 0 once stopped', async () => {
    let stopped = false;
    void exited.then(() => (stopped = true));
    child.kill('SIGTERM');
    // A probe sent before the process handles the signal is answered as before it: wait for the handler's line.
    while (!/"msg":"SIGTERM: stopping"/.test(output) && !stopped)
      await new Promise((resolve) => setTimeout(resolve, 2));
    const answers: (number | 'closed')[] = [];
    while (!stopped) {
      answers.push(
        await get('/health/ready').then(
          async (response) => {
            const body = (await response.json()) as { checks: { lifecycle: string } };
            expect(body.checks.lifecycle).toBe('stopping');
            return response.status;
          },
          () => 'closed' as const,
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await exited).toBe(0);
    expect(answers).not.toContain(200);
    // The service may stop before a probe reaches it (every probe then finds the port closed): what is
    // checked is that no probe after the signal was told ready, and that any answered was told 503.
    expect(answers.filter((answer) => answer !== 'closed').every((status) => status === 503)).toBe(true);
  });
});
