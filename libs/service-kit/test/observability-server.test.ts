import { Counter, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { readCommonConfig } from '../src/config/common-config';
import { ConfigurationError } from '../src/config/settings';
import { startObservabilityServer, type ObservabilityServer } from '../src/observability/observability-server';
import { ServiceReadiness, type ReadinessReport } from '../src/observability/readiness';
import { freePort } from '../../../test/support/system';

describe('LM_METRICS_PORT', () => {
  it('is off when unset, and binds every interface by default when set', () => {
    expect(readCommonConfig('licensing', {}).metricsPort).toBeUndefined();
    expect(readCommonConfig('licensing', { LM_METRICS_PORT: '9464' })).toMatchObject({
      metricsPort: 9464,
      metricsHost: '0.0.0.0',
    });
  });

  it.each(['0', '65536', 'http', '94.64', '-1'])('refuses %s, naming the variable', (raw) => {
    expect(() => readCommonConfig('licensing', { LM_METRICS_PORT: raw })).toThrow(
      new ConfigurationError([`LM_METRICS_PORT must be a TCP port (1 to 65535), not ${JSON.stringify(raw)}`]),
    );
  });
});

describe('the observability server', () => {
  let server: ObservabilityServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** A server on a free port of 127.0.0.1, with the registry and readiness the test gives. */
  async function serve(registry: Registry | undefined, readiness: () => Promise<ReadinessReport>) {
    server = await startObservabilityServer({
      host: '127.0.0.1',
      port: await freePort(),
      registry: () => registry,
      readiness,
    });
    const base = `http://127.0.0.1:${server.port}`;
    return (path: string, init?: RequestInit) => fetch(`${base}${path}`, init);
  }

  const ready: ReadinessReport = { ready: true, checks: { lifecycle: 'ok', database: 'ok', nats: 'ok' } };

  it('serves the registry in the Prometheus text format on GET /metrics', async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ service: 'licensing' });
    new Counter({ name: 'lm_test_total', help: 'A test counter.', registers: [registry] }).inc(3);
    const get = await serve(registry, async () => ready);
    const response = await get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(registry.contentType);
    expect(await response.text()).toContain('lm_test_total{service="licensing"} 3');
  });

  it('answers 503 on /metrics before the service has built its registry', async () => {
    const get = await serve(undefined, async () => ready);
    expect((await get('/metrics')).status).toBe(503);
  });

  it('answers liveness whatever readiness says', async () => {
    const get = await serve(undefined, () => Promise.reject(new Error('never asked')));
    const response = await get('/health/live');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'live' });
  });

  it('answers readiness 200 when ready and 503 with the report when not', async () => {
    let report = ready;
    const get = await serve(new Registry(), async () => report);
    let response = await get('/health/ready');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(ready);
    report = { ready: false, checks: { lifecycle: 'ok', database: 'no answer within 2000 ms', nats: 'ok' } };
    response = await get('/health/ready');
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual(report);
  });

  it('answers 404 on any other path and 405 on another method', async () => {
    const get = await serve(new Registry(), async () => ready);
    expect((await get('/')).status).toBe(404);
    expect((await get('/health')).status).toBe(404);
    expect((await get('/metrics/extra')).status).toBe(404);
    const post = await get('/metrics', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('refuses a port already taken with a configuration error naming LM_METRICS_PORT', async () => {
    await serve(new Registry(), async () => ready);
    await expect(
      startObservabilityServer({
        host: '127.0.0.1',
        port: server!.port,
        registry: () => undefined,
        readiness: async () => ready,
      }),
    ).rejects.toThrow(/LM_METRICS_PORT=\d+ cannot be bound on 127\.0\.0\.1 \(EADDRINUSE\)/);
  });
});

describe('service readiness', () => {
  /** Dependencies that answer as told: the database's select, and NATS's round trip. */
  function dependencies(answers: { database: () => Promise<unknown>; nats: () => Promise<void>; closed?: boolean }) {
    const db = { getExecutor: () => executor };
    const executor = {
      transformQuery: (node: unknown) => node,
      compileQuery: () => ({ sql: 'select 1', parameters: [] }),
      executeQuery: () => answers.database(),
      adapter: {},
      plugins: [],
    };
    const nc = { isClosed: () => answers.closed ?? false, isDraining: () => false, flush: answers.nats };
    return { db: db as any, nc: nc as any };
  }

  it('is not ready while starting, ready when started and both dependencies answer, and not ready once stopping', async () => {
    const readiness = new ServiceReadiness(100);
    expect(await readiness.report()).toEqual({ ready: false, checks: { lifecycle: 'starting' } });
    readiness.started(dependencies({ database: async () => ({ rows: [] }), nats: async () => undefined }));
    expect(await readiness.report()).toEqual({ ready: true, checks: { lifecycle: 'ok', database: 'ok', nats: 'ok' } });
    readiness.stopping();
    expect(await readiness.report()).toEqual({ ready: false, checks: { lifecycle: 'stopping' } });
  });

  it('names the database when it fails or does not answer in time, and NATS when its connection is closed', async () => {
    const failing = new ServiceReadiness(100);
    failing.started(
      dependencies({ database: () => Promise.reject(new Error('terminated')), nats: async () => undefined }),
    );
    expect(await failing.report()).toEqual({
      ready: false,
      checks: { lifecycle: 'ok', database: 'failed: terminated', nats: 'ok' },
    });
    const silent = new ServiceReadiness(100);
    silent.started(
      dependencies({ database: () => new Promise(() => undefined), nats: async () => undefined, closed: true }),
    );
    expect(await silent.report()).toEqual({
      ready: false,
      checks: { lifecycle: 'ok', database: 'no answer within 100 ms', nats: 'connection closed' },
    });
  });
});
