import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { connect as connectTcp } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../../test/support/system';
import { testServerUrl } from '../../../test/support/test-database';
import { checkNats, checkPostgres } from '../src/startup-checks';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const check = { service: 'licensing', timeoutMs: 10_000 };

const natsServerOnPath = (() => {
  try {
    execFileSync('nats-server', ['--version']);
    return true;
  } catch {
    return false;
  }
})();

/** Resolves once something accepts connections on `port`. */
async function listening(port: number): Promise<void> {
  for (;;) {
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = connectTcp(port, '127.0.0.1', () => resolve(true)).on('error', () => resolve(false));
      socket.unref();
      setTimeout(() => socket.destroy(), 1_000);
    });
    if (accepted) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('start-up checks against running servers', () => {
  const servers: ChildProcess[] = [];
  const startNatsServer = (port: number, args: string[] = []) => {
    const server = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), ...args], { stdio: 'ignore' });
    servers.push(server);
    return server;
  };
  afterEach(() => {
    for (const server of servers.splice(0)) server.kill();
  });

  it('pass at once when PostgreSQL and NATS with JetStream answer', async () => {
    const started = Date.now();
    await checkPostgres(check, testServerUrl(), 'DATABASE_URL');
    await checkNats(check, [NATS_URL], { jetStream: true });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('stop at once, without retrying, when PostgreSQL answers but refuses (a database that does not exist)', async () => {
    const url = new URL(testServerUrl());
    url.pathname = '/lm_no_such_database';
    const started = Date.now();
    await expect(checkPostgres(check, url.toString(), 'DATABASE_URL')).rejects.toThrow(
      `licensing cannot use PostgreSQL at ${url.toString()} (DATABASE_URL): ` +
        'database "lm_no_such_database" does not exist. Set DATABASE_URL.',
    );
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it.skipIf(!natsServerOnPath)('wait for a NATS server that starts within the window', async () => {
    const port = await freePort();
    setTimeout(() => startNatsServer(port), 1_500);
    await checkNats(check, [`nats://127.0.0.1:${port}`], { jetStream: false });
  });

  it.skipIf(!natsServerOnPath)('name a NATS server without JetStream as such', async () => {
    const port = await freePort();
    startNatsServer(port);
    await listening(port);
    await expect(checkNats(check, [`nats://127.0.0.1:${port}`], { jetStream: true })).rejects.toThrow(
      `licensing needs JetStream, which NATS at nats://127.0.0.1:${port} (NATS_URL) does not have enabled. ` +
        'Start nats-server with -js or set NATS_URL.',
    );
  });
});
