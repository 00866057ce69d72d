import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, ROOT } from '../support/system';

/** Start-up must stop within this, whatever the retry window (LM_STARTUP_TIMEOUT_MS defaults to 15 s). */
const START_UP_BOUND_MS = 30_000;

interface Exit {
  code: number | null;
  stderr: string;
  elapsedMs: number;
}

/** Runs a built process of the system with `env` over the test's environment, until it exits. */
function runUntilExit(script: string, env: Record<string, string | undefined>): Promise<Exit> {
  const started = Date.now();
  const child = spawn(process.execPath, [join(ROOT, script)], {
    env: { ...process.env, LICENSING_DATABASE_URL: undefined, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), START_UP_BOUND_MS + 5_000);
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, stderr, elapsedMs: Date.now() - started });
    });
  });
}

/** Exit 1 within the bound, with `line` alone on stderr: no stack trace, nothing else. */
function expectStoppedWith(exit: Exit, line: string): void {
  expect(exit.code).toBe(1);
  expect(exit.elapsedMs).toBeLessThan(START_UP_BOUND_MS);
  expect(exit.stderr).not.toMatch(/^\s+at /m);
  expect(exit.stderr).toBe(`${line}\n`);
}

// Concurrent: each waits out its retry window on a port nothing listens on, and they share nothing.
describe.concurrent('start-up without PostgreSQL or NATS', () => {
  it('stops a service within 30 s (the default retry window) naming DATABASE_URL, its address, password masked', async () => {
    const port = await freePort();
    const exit = await runUntilExit('services/licensing/dist/main.js', {
      DATABASE_URL: `postgres://operator:s3cr3t-pw@127.0.0.1:${port}/licenses`,
      LM_STARTUP_TIMEOUT_MS: undefined,
    });
    expectStoppedWith(
      exit,
      `licensing cannot reach PostgreSQL at postgres://operator:***@127.0.0.1:${port}/licenses (DATABASE_URL): ` +
        'connection refused. Start PostgreSQL or set DATABASE_URL.',
    );
    expect(exit.stderr).not.toContain('s3cr3t-pw');
  });

  it("names the service's own database variable when that is the one set", async () => {
    const port = await freePort();
    const exit = await runUntilExit('services/licensing/dist/main.js', {
      LICENSING_DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/test`,
      LM_STARTUP_TIMEOUT_MS: '2000',
    });
    expectStoppedWith(
      exit,
      `licensing cannot reach PostgreSQL at postgres://postgres@127.0.0.1:${port}/test (LICENSING_DATABASE_URL): ` +
        'connection refused. Start PostgreSQL or set LICENSING_DATABASE_URL.',
    );
  });

  it('stops a service naming NATS_URL and its address', async () => {
    const port = await freePort();
    const exit = await runUntilExit('services/licensing/dist/main.js', {
      NATS_URL: `nats://127.0.0.1:${port}`,
      LM_STARTUP_TIMEOUT_MS: '2000',
    });
    expectStoppedWith(
      exit,
      `licensing cannot reach NATS at nats://127.0.0.1:${port} (NATS_URL): ` +
        'connection refused. Start nats-server -js or set NATS_URL.',
    );
  });

  it('stops the gateway within 30 s (the default retry window) naming NATS_URL and its address', async () => {
    const port = await freePort();
    const exit = await runUntilExit('services/gateway/dist/main.js', {
      NATS_URL: `nats://127.0.0.1:${port}`,
      LM_STARTUP_TIMEOUT_MS: undefined,
    });
    expectStoppedWith(
      exit,
      `gateway cannot reach NATS at nats://127.0.0.1:${port} (NATS_URL): ` +
        'connection refused. Start nats-server -js or set NATS_URL.',
    );
  });
});
