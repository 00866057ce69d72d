import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from 'nats';
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

/** One node of a private cluster: a PrivateNats with its name in the cluster and its monitoring port. */
export interface PrivateNatsNode extends PrivateNats {
  /** Its server_name, as JetStream names a stream's leader and replicas. */
  name: string;
  /** Its HTTP monitoring endpoint (/connz, /jsz, /healthz). */
  monitorUrl: string;
}

/**
 * Three (or `size`) nats-servers of a test's own joined by routes into one cluster, JetStream on
 * each with its own store, as docs/deployment.md configures a production cluster. `servers` is
 * what NATS_URL lists (comma-separated); any node may be stopped and started again.
 */
export interface PrivateNatsCluster {
  servers: string[];
  nodes: PrivateNatsNode[];
  /** Stops every node for good and removes their stores. */
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

/**
 * A nats-server process run with `args`, listening for clients on `port` once started; its store
 * directory is removed with it.
 */
function natsServerProcess(port: number, storeDir: string, args: string[]): PrivateNats {
  let server: ChildProcess | undefined;
  let output = '';

  const start = async () => {
    output = '';
    server = spawn('nats-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
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

export async function startPrivateNats(): Promise<PrivateNats> {
  const port = await freePort();
  const storeDir = mkdtempSync(join(tmpdir(), 'lm-chaos-nats-'));
  const nats = natsServerProcess(port, storeDir, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir]);
  await nats.start();
  return nats;
}

export async function startPrivateNatsCluster(size = 3): Promise<PrivateNatsCluster> {
  const ports = await Promise.all(
    Array.from({ length: size }, async () => ({
      client: await freePort(),
      route: await freePort(),
      monitor: await freePort(),
    })),
  );
  const routes = ports.map(({ route }) => `nats-route://127.0.0.1:${route}`);
  const nodes = ports.map(({ client, route, monitor }, i): PrivateNatsNode => {
    const name = `lm-chaos-${i}`;
    const storeDir = mkdtempSync(join(tmpdir(), 'lm-chaos-nats-cluster-'));
    const configFile = join(storeDir, 'nats-server.conf');
    // The configuration docs/deployment.md gives for a cluster, on loopback ports.
    writeFileSync(
      configFile,
      [
        `server_name: ${name}`,
        `listen: 127.0.0.1:${client}`,
        `http: 127.0.0.1:${monitor}`,
        `jetstream { store_dir: ${JSON.stringify(join(storeDir, 'jetstream'))} }`,
        `cluster {`,
        `  name: lm-chaos`,
        `  listen: 127.0.0.1:${route}`,
        `  routes: [${routes.join(', ')}]`,
        `}`,
      ].join('\n'),
    );
    return {
      ...natsServerProcess(client, storeDir, ['-c', configFile]),
      name,
      monitorUrl: `http://127.0.0.1:${monitor}`,
    };
  });
  const servers = nodes.map((node) => node.url);
  const dispose = async () => {
    await Promise.all(nodes.map((node) => node.dispose()));
  };
  try {
    await Promise.all(nodes.map((node) => node.start()));
    await jetStreamReady(servers);
  } catch (error) {
    await dispose();
    throw error;
  }
  return { servers, nodes, dispose };
}

/** Waits until the cluster's JetStream answers (its meta leader elected), at most 30 s. */
async function jetStreamReady(servers: string[]): Promise<void> {
  const nc = await connect({ servers });
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        await (await nc.jetstreamManager()).getAccountInfo();
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await sleep(250);
      }
    }
  } finally {
    await nc.close();
  }
}
