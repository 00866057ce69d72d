import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../support/system';

/**
 * A nats-server of a test's own (JetStream on, its store in a temporary directory), which the test
 * may stop and start again on the same port and store, as an operator restarts a deployment's
 * NATS. The machine's shared server (NATS_URL) is never touched.
 */
export interface PrivateNats {
  url: string;
  /** Stops the server (SIGTERM lets it flush its store; SIGKILL is a crash) and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and store directory, and waits until it takes connections. */
  start(): Promise<void>;
  /** Stops it for good and removes its store. */
  dispose(): Promise<void>;
}

const portAnswers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connectTcp(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

export async function startPrivateNats(): Promise<PrivateNats> {
  const port = await freePort();
  const storeDir = mkdtempSync(join(tmpdir(), 'lm-chaos-nats-'));
  let server: ChildProcess | undefined;
  let output = '';

  const start = async () => {
    output = '';
    server = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const append = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-10_000));
    server.stdout!.on('data', append);
    server.stderr!.on('data', append);
    const deadline = Date.now() + 15_000;
    while (!(await portAnswers(port))) {
      if (Date.now() > deadline || server.exitCode !== null) throw new Error(`nats-server did not start:\n${output}`);
      await sleep(50);
    }
  };
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const running = server;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(signal);
    await exited;
  };

  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    stop,
    start,
    async dispose() {
      await stop();
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}
