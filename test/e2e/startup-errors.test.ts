import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { freePort, scriptOf, type ProcessName } from '../support/system';

/** Start-up must stop within this, whatever the retry window (LM_STARTUP_TIMEOUT_MS defaults to 15 s). */
const START_UP_BOUND_MS = 30_000;

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

/** Runs a built process of the system with `env` over the test's environment, until it exits. */
function runUntilExit(name: ProcessName, env: Record<string, string | undefined>): Promise<Exit> {
  const started = Date.now();
  const child = spawn(process.execPath, [scriptOf(name)], {
    env: { ...process.env, LICENSING_DATABASE_URL: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), START_UP_BOUND_MS + 5_000);
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr, elapsedMs: Date.now() - started });
    });
  });
}

/**
 * Exit 1 within the bound, with `message` alone in one fatal JSON log line (the output is not a
 * terminal): no stack trace (the record has no other field), nothing else.
 */
function expectStoppedWith(exit: Exit, service: string, message: string): void {
  expect(exit.code).toBe(1);
  expect(exit.elapsedMs).toBeLessThan(START_UP_BOUND_MS);
  expect(exit.stderr).toBe('');
  const lines = exit.stdout.split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toBe('');
  expect(JSON.parse(lines[0])).toEqual({
    level: 'fatal',
    time: expect.any(String),
    service,
    pid: expect.any(Number),
    context: service,
    msg: message,
  });
}

// Concurrent: each waits out its retry window on a port nothing listens on, and they share nothing.
describe.concurrent('start-up without PostgreSQL or NATS', () => {
  it('stops a service within 30 s (the default retry window) naming DATABASE_URL, its address, password masked', async () => {
    const port = await freePort();
    const exit = await runUntilExit('licensing', {
      DATABASE_URL: `postgres://operator:s3cr3t-pw@127.0.0.1:${port}/licenses`,
      LM_STARTUP_TIMEOUT_MS: undefined,
    });
    expectStoppedWith(
      exit,
      'licensing',
      `licensing cannot reach PostgreSQL at postgres://operator:***@127.0.0.1:${port}/licenses (DATABASE_URL): ` +
        'connection refused. Start PostgreSQL or set DATABASE_URL.',
    );
    expect(exit.stdout).not.toContain('s3cr3t-pw');
  });

  it("names the service's own database variable when that is the one set", async () => {
    const port = await freePort();
    const exit = await runUntilExit('licensing', {
      LICENSING_DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/test`,
      LM_STARTUP_TIMEOUT_MS: '2000',
    });
    expectStoppedWith(
      exit,
      'licensing',
      `licensing cannot reach PostgreSQL at postgres://postgres@127.0.0.1:${port}/test (LICENSING_DATABASE_URL): ` +
        'connection refused. Start PostgreSQL or set LICENSING_DATABASE_URL.',
    );
  });

  it('stops a service naming NATS_URL and its address', async () => {
    const port = await freePort();
    const exit = await runUntilExit('licensing', {
      NATS_URL: `nats://127.0.0.1:${port}`,
      LM_STARTUP_TIMEOUT_MS: '2000',
    });
    expectStoppedWith(
      exit,
      'licensing',
      `licensing cannot reach NATS at nats://127.0.0.1:${port} (NATS_URL): ` +
        'connection refused. Start nats-server -js or set NATS_URL.',
    );
  });

  it('stops the gateway within 30 s (the default retry window) naming NATS_URL and its address', async () => {
    const port = await freePort();
    const exit = await runUntilExit('gateway', {
      NATS_URL: `nats://127.0.0.1:${port}`,
      LM_STARTUP_TIMEOUT_MS: undefined,
    });
    expectStoppedWith(
      exit,
      'gateway',
      `gateway cannot reach NATS at nats://127.0.0.1:${port} (NATS_URL): ` +
        'connection refused. Start nats-server -js or set NATS_URL.',
    );
  });
});

// Refused before PostgreSQL or NATS are asked: the configuration alone stops these.
describe.concurrent('start-up refused by its configuration', () => {
  it('stops a service whose guards the chosen event store cannot run, naming them and the store that can', async () => {
    // Nothing listens there: the refusal must come before any connection is tried.
    const exit = await runUntilExit('licensing', {
      EVENT_STORE: 'eventstoredb',
      EVENTSTORE_URL: `esdb://127.0.0.1:${await freePort()}?tls=false`,
    });
    expectStoppedWith(
      exit,
      'licensing',
      "cannot start: licensing enforces rules inside the append's transaction " +
        '(license-configuration-quota, license-asset-groups-rules); EVENT_STORE=eventstoredb cannot run them: use postgres',
    );
  });

  it('stops a service on a bad value of its own settings, naming the variable', async () => {
    const exit = await runUntilExit('licensing', {
      LM_QUOTA_LICENSE_CONFIGURATIONS: '25 licences',
    });
    expectStoppedWith(
      exit,
      'licensing',
      'cannot start: LM_QUOTA_LICENSE_CONFIGURATIONS must be a positive integer, not "25 licences"',
    );
  });
});
