import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent } from 'node:http';
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { BUILT_SERVICES } from '@lm/contracts';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { SignedHttpClient, type CallResult } from '../load/signed-http-client';
import { boto3Script } from '../support/clients';
import { accounts, CREDENTIALS_FILE, freePort, scriptOf, startSystem, type RunningSystem } from '../support/system';
import { send, sign, type WireRequest } from './signed-http';

/** As many clients as the issue asks for, each with a request in flight at every moment (but while backing off). */
const CLIENTS = 500;
const FLOOD_MS = 12_000;
/** The per-account limit of the system's gateway: the flooding account is far above it, the quiet one below. */
const RATE_PER_ACCOUNT = 10;
/** How often the quiet account calls: at most half its rate. */
const QUIET_PAUSE_MS = 200;
const QUIET_PROBER = join(__dirname, 'quiet-prober.py');

/** The in-flight bound of a gateway of its own, far below the 500 clients. */
const IN_FLIGHT_BOUND = 64;

/** How much slower the quiet account's median may be during the flood than alone (generous: the machine is shared). */
const QUIET_SLOWDOWN_BOUND = 5;

/** On a machine that other suites load, eight processes starting at once can take minutes. */
const START_PATIENCE_MS = 300_000;

/** What the gateway may hold beyond its resting memory with 500 clients on it (measured: 25 to 65 MB). */
const MEMORY_GROWTH_BOUND_MB = 250;

interface Tally {
  ok: number;
  throttled: number;
  /** Anything else: an unexpected status or body, or a connection error. */
  other: string[];
  /** From the first request to the last answer (answers come after the flood's end on a loaded machine). */
  seconds: number;
}

/** Resident memory of a process, in megabytes (Linux). */
function residentMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1];
  return Number(kb) / 1024;
}

/** The peak of a process's resident memory while `work` runs, sampled every 100 ms. */
async function peakMemoryDuring<T>(pid: number, work: Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peakMb = residentMb(pid);
  let done = false;
  const sampling = (async () => {
    while (!done) {
      peakMb = Math.max(peakMb, residentMb(pid));
      await sleep(100);
    }
  })();
  try {
    return { result: await work, peakMb };
  } finally {
    done = true;
    await sampling;
  }
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

/** License Manager's throttling error as its model shapes it (awsJson1_1, 429). */
function isRateLimitExceeded(answer: CallResult): boolean {
  if (answer.status !== 429) return false;
  const body = JSON.parse(answer.body) as Record<string, unknown>;
  return (
    body.__type === 'com.amazonaws.licensemanager#RateLimitExceededException' &&
    typeof body.Message === 'string' &&
    Object.keys(body).length === 2
  );
}

/**
 * The AWS SDKs' answer to a throttling error: wait a random time up to 100 ms doubled with each
 * throttling in a row, at most 20 s (full-jitter exponential back-off), before asking again.
 */
const sdkBackOffMs = (throttledInARow: number) => Math.random() * Math.min(20_000, 100 * 2 ** throttledInARow);

/**
 * CLIENTS loops over `clients`, each calling again as soon as it is answered until `ms` have
 * passed; after a throttling error at once (`backOff: false`, a client that ignores it) or after
 * the SDKs' back-off.
 */
async function flood(clients: SignedHttpClient[], ms: number, { backOff }: { backOff: boolean }): Promise<Tally> {
  const tally: Tally = { ok: 0, throttled: 0, other: [], seconds: 0 };
  const started = performance.now();
  const until = Date.now() + ms;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, index) => {
      const client = clients[index % clients.length];
      let throttledInARow = 0;
      while (Date.now() < until) {
        try {
          const answer = await client.call('ListLicenseConfigurations', {});
          if (answer.status === 200) {
            tally.ok++;
            throttledInARow = 0;
          } else if (isRateLimitExceeded(answer)) {
            tally.throttled++;
            if (backOff) await sleep(Math.min(sdkBackOffMs(throttledInARow++), until - Date.now()));
          } else tally.other.push(`${answer.status} ${answer.body}`);
        } catch (error) {
          tally.other.push((error as Error).message);
        }
      }
    }),
  );
  tally.seconds = (performance.now() - started) / 1_000;
  return tally;
}

/** The quiet account's calls at a steady pace from a process of its own (quiet-prober.py, boto3). */
async function quietCalls(count: number): Promise<{ latenciesMs: number[]; errors: { Code: string }[] }> {
  return JSON.parse(
    await boto3Script(system, accounts.member, QUIET_PROBER, [String(count), String(QUIET_PAUSE_MS)]),
  ) as { latenciesMs: number[]; errors: { Code: string }[] };
}

const clientOf = (endpoint: string, account: (typeof accounts)['management'], agent: Agent) =>
  new SignedHttpClient({ endpoint, region: 'us-east-1', credentials: account.accessKeys[0], agent });

/** Enough sockets that none of the 500 clients waits for one in the client. */
const floodAgent = () => new Agent({ keepAlive: true, maxSockets: 2 * CLIENTS });

const listConfigurations: WireRequest = {
  method: 'POST',
  path: '/',
  headers: {
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': 'AWSLicenseManager.ListLicenseConfigurations',
  },
  body: '{}',
};

/** One system for the file: its gateway limits each account; the bounds' tests start a second gateway on it. */
let system: RunningSystem;
beforeAll(async () => {
  system = await startSystem(
    { LM_RATE_LIMIT_PER_ACCOUNT: String(RATE_PER_ACCOUNT) },
    { startTimeoutMs: START_PATIENCE_MS - 30_000 },
  );
}, START_PATIENCE_MS);
afterAll(async () => {
  await system?.stop();
});

describe('floods: 500 clients against one gateway', () => {
  it('throttles the account of 500 clients (RateLimitExceededException, 429) while a quiet account keeps its latency, memory bounded', async () => {
    const floodingAgent = floodAgent();
    const flooder = clientOf(system.endpoint, accounts.management, floodingAgent);
    const [gateway] = system.pids('gateway');
    const baseline = await quietCalls(30);
    const restingMb = residentMb(gateway);

    const flooding = flood([flooder], FLOOD_MS, { backOff: true });
    // While the flood is on: the prober's own start (python, botocore) takes about a second.
    const during = await quietCalls(Math.floor((FLOOD_MS - 3_000) / (QUIET_PAUSE_MS + 20)));
    const { result: tally, peakMb } = await peakMemoryDuring(gateway, flooding);
    floodingAgent.destroy();

    const figures = {
      flooder: { ok: tally.ok, throttled: tally.throttled, other: tally.other.length, seconds: tally.seconds },
      quietP50Ms: { baseline: percentile(baseline.latenciesMs, 50), during: percentile(during.latenciesMs, 50) },
      quietP90Ms: { baseline: percentile(baseline.latenciesMs, 90), during: percentile(during.latenciesMs, 90) },
      gatewayMb: { resting: Math.round(restingMb), peak: Math.round(peakMb) },
    };
    console.log('flood against the per-account limit', JSON.stringify(figures));
    // Every answer a success or the model's throttling error; never a dropped connection or another error.
    expect(tally.other.slice(0, 5)).toEqual([]);
    expect(tally.throttled).toBeGreaterThan(0);
    // The flooder got its rate and no more: its burst, then RATE_PER_ACCOUNT a second (with a second's slack).
    expect(tally.ok).toBeLessThanOrEqual(RATE_PER_ACCOUNT * (tally.seconds + 2));
    expect(tally.ok).toBeGreaterThanOrEqual(RATE_PER_ACCOUNT);
    // The quiet account was never throttled, and kept its latency (a generous bound: the machine is shared).
    expect([...baseline.errors, ...during.errors]).toEqual([]);
    expect(figures.quietP50Ms.during).toBeLessThan(QUIET_SLOWDOWN_BOUND * figures.quietP50Ms.baseline);
    // The gateway lived through it, within its memory bound.
    expect(system.pids('gateway')).toEqual([gateway]);
    expect(peakMb - restingMb).toBeLessThan(MEMORY_GROWTH_BOUND_MB);
    expect((await fetch(`${system.endpoint}/health`)).status).toBe(200);
  });

  it(
    'answers 500 clients of four accounts with a success or the throttling error past its in-flight bound, memory bounded',
    async () => {
      const gateway = await startGateway(system, { LM_MAX_IN_FLIGHT_REQUESTS: String(IN_FLIGHT_BOUND) });
      onTestFinished(() => gateway.stop());
      const agent = floodAgent();
      const clients = [accounts.management, accounts.member, accounts.nestedMember, accounts.outsider].map((account) =>
        clientOf(gateway.endpoint, account, agent),
      );
      const restingMb = residentMb(gateway.pid);
      const { result: tally, peakMb } = await peakMemoryDuring(
        gateway.pid,
        flood(clients, FLOOD_MS, { backOff: false }),
      );
      agent.destroy();
      console.log(
        'flood against the in-flight bound',
        JSON.stringify({
          ok: tally.ok,
          throttled: tally.throttled,
          other: tally.other.length,
          gatewayMb: { resting: Math.round(restingMb), peak: Math.round(peakMb) },
        }),
      );
      expect(tally.other.slice(0, 5)).toEqual([]);
      expect(tally.ok).toBeGreaterThan(0);
      expect(tally.throttled).toBeGreaterThan(0);
      expect(gateway.alive()).toBe(true);
      expect(peakMb - restingMb).toBeLessThan(MEMORY_GROWTH_BOUND_MB);
      const management = { ...accounts.management.accessKeys[0], region: system.region, service: 'license-manager' };
      expect((await send(gateway.endpoint, await sign(gateway.endpoint, listConfigurations, management))).status).toBe(
        200,
      );
    },
    START_PATIENCE_MS,
  );
});

/** A second gateway on the system's NATS subjects, with limits of its own: small, so that a test reaches them. */
async function startGateway(on: RunningSystem, limits: Record<string, string>) {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [scriptOf('gateway')], {
    env: {
      ...process.env,
      PORT: String(port),
      NATS_URL: process.env.NATS_URL!,
      LM_NATS_NAMESPACE: on.natsNamespace,
      LM_REGION: on.region,
      LM_CREDENTIALS_FILE: CREDENTIALS_FILE,
      LM_SERVICES: BUILT_SERVICES.join(','),
      NO_COLOR: '1',
      ...limits,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const append = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const deadline = Date.now() + 60_000;
  while (
    (await fetch(`${endpoint}/health`).then(
      (r) => r.status,
      () => 0,
    )) !== 200
  ) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the gateway did not start:\n${output}`);
    await sleep(200);
  }
  return {
    endpoint,
    pid: child.pid!,
    alive: () => child.exitCode === null && child.signalCode === null,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A raw TCP connection to `endpoint`, and a promise of when the server closes it. */
async function rawConnection(endpoint: string): Promise<{ socket: Socket; closed: Promise<string> }> {
  const url = new URL(endpoint);
  const socket = connect(Number(url.port), url.hostname);
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(received)));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, closed };
}

/** How long the server took to close a connection, or Infinity when it had not after `patienceMs`. */
async function closedWithin(closed: Promise<string>, patienceMs: number): Promise<{ ms: number; received: string }> {
  const started = performance.now();
  const received = await Promise.race([closed, sleep(patienceMs).then(() => null)]);
  return received === null ? { ms: Infinity, received: '' } : { ms: performance.now() - started, received };
}

describe('floods: bounds of one gateway (sizes, slow and idle connections)', () => {
  const LIMITS = {
    LM_MAX_CONNECTIONS: '600',
    LM_MAX_BODY_BYTES: '65536',
    LM_MAX_URL_BYTES: '2048',
    LM_MAX_HEADER_BYTES: '8192',
    LM_HEADERS_TIMEOUT_MS: '2000',
    LM_REQUEST_TIMEOUT_MS: '4000',
    LM_KEEP_ALIVE_TIMEOUT_MS: '2000',
  };
  /** What Node adds to a timeout before it acts (its 1 s connection check) and a loaded machine's scheduling. */
  const TIMEOUT_SLACK_MS = 3_000;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  const management = accounts.management.accessKeys[0];
  const signed = (request: WireRequest) =>
    sign(gateway.endpoint, request, { ...management, region: system.region, service: 'license-manager' });

  beforeAll(async () => {
    gateway = await startGateway(system, LIMITS);
  }, START_PATIENCE_MS);
  afterAll(async () => {
    await gateway?.stop();
  });

  it('answers a body, URL or headers over their limits with 413, 414 (in the API error shape) and 431, and goes on', async () => {
    const body = await send(
      gateway.endpoint,
      await signed({ ...listConfigurations, body: JSON.stringify({ NextToken: 'x'.repeat(70_000) }) }),
    );
    expect([body.status, body.code]).toEqual([413, 'RequestEntityTooLargeException']);
    expect(JSON.parse(body.text)).toMatchObject({
      __type: 'com.amazonaws.licensemanager#RequestEntityTooLargeException',
    });

    const url = await send(
      gateway.endpoint,
      await signed({ ...listConfigurations, path: `/?padding=${'x'.repeat(3_000)}` }),
    );
    expect([url.status, url.code]).toEqual([414, 'RequestUriTooLongException']);
    expect(JSON.parse(url.text)).toMatchObject({ __type: 'com.amazonaws.licensemanager#RequestUriTooLongException' });

    // Node's HTTP parser refuses the headers before any AWS API is known: a bare 431, the connection closed.
    const headers = await send(gateway.endpoint, {
      ...(await signed(listConfigurations)),
      headers: { ...(await signed(listConfigurations)).headers, 'x-padding': 'x'.repeat(10_000) },
    });
    expect(headers.status).toBe(431);

    expect(gateway.alive()).toBe(true);
    expect((await send(gateway.endpoint, await signed(listConfigurations))).status).toBe(200);
  });

  it('cuts off slow-loris connections: headers or a body sent a byte at a time, or nothing at all', async () => {
    const slowHeaders = await rawConnection(gateway.endpoint);
    slowHeaders.socket.write('POST / HTTP/1.1\r\nHost: localhost\r\n');
    const silent = await rawConnection(gateway.endpoint);
    const slowBody = await rawConnection(gateway.endpoint);
    slowBody.socket.write('POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\n');
    const trickle = setInterval(() => {
      if (!slowHeaders.socket.destroyed) slowHeaders.socket.write('X-Slow: 1\r\n');
      if (!slowBody.socket.destroyed) slowBody.socket.write('x');
    }, 300);
    try {
      const [headers, nothing, body] = await Promise.all([
        closedWithin(slowHeaders.closed, Number(LIMITS.LM_HEADERS_TIMEOUT_MS) + TIMEOUT_SLACK_MS),
        closedWithin(silent.closed, Number(LIMITS.LM_HEADERS_TIMEOUT_MS) + TIMEOUT_SLACK_MS),
        closedWithin(slowBody.closed, Number(LIMITS.LM_REQUEST_TIMEOUT_MS) + TIMEOUT_SLACK_MS),
      ]);
      console.log('slow-loris connections closed after (ms)', headers.ms, nothing.ms, body.ms);
      expect(headers.ms).toBeLessThan(Infinity);
      expect(headers.received).toMatch(/^HTTP\/1\.1 408/);
      expect(nothing.ms).toBeLessThan(Infinity);
      expect(body.ms).toBeLessThan(Infinity);
      expect(body.ms).toBeGreaterThan(Number(LIMITS.LM_HEADERS_TIMEOUT_MS) - 500);
    } finally {
      clearInterval(trickle);
    }
  });

  it('closes idle kept-alive connections after its keep-alive timeout, and takes no more connections than its bound', async () => {
    // A request answered on each, then nothing: idle kept-alive connections.
    const idle = await Promise.all(Array.from({ length: 20 }, () => rawConnection(gateway.endpoint)));
    const request = await signed(listConfigurations);
    const head = Object.entries({
      ...request.headers,
      'content-length': String(Buffer.byteLength(String(request.body))),
    })
      .map(([name, value]) => `${name}: ${value}`)
      .join('\r\n');
    for (const { socket } of idle) socket.write(`POST / HTTP/1.1\r\n${head}\r\n\r\n${request.body}`);
    const closings = await Promise.all(
      idle.map(({ closed }) =>
        closedWithin(closed, Number(LIMITS.LM_KEEP_ALIVE_TIMEOUT_MS) + TIMEOUT_SLACK_MS + 2_000),
      ),
    );
    expect(closings.every(({ received }) => /^HTTP\/1\.1 200/.test(received))).toBe(true);
    expect(closings.every(({ ms }) => ms < Infinity)).toBe(true);

    // LM_MAX_CONNECTIONS open: the next one is closed as soon as it is accepted, unanswered.
    const bound = Number(LIMITS.LM_MAX_CONNECTIONS);
    const open = await Promise.all(Array.from({ length: bound }, () => rawConnection(gateway.endpoint)));
    const extra = await rawConnection(gateway.endpoint);
    extra.socket.write(`POST / HTTP/1.1\r\n${head}\r\n\r\n${request.body}`);
    const refused = await closedWithin(extra.closed, 1_000);
    expect(refused).toMatchObject({ received: '' });
    expect(refused.ms).toBeLessThan(Infinity);
    for (const { socket } of open) socket.destroy();
    await sleep(200);
    expect(gateway.alive()).toBe(true);
    expect((await send(gateway.endpoint, await signed(listConfigurations))).status).toBe(200);
  });
});
