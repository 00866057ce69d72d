import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../support/system';

/**
 * The bare floor of the architecture (ARCHITECTURE.md, issue 14): a plain Node HTTP server that
 * forwards each request over NATS request/reply to a plain Node responder running one PostgreSQL
 * statement, each in a process of its own as the product's gateway and services are, on the same
 * NATS and PostgreSQL as the system under test. The load suites measure it in the same run, with
 * the same load client and client counts, so that product/floor is the cost of our own code.
 */
export interface Floor {
  /** As http://127.0.0.1:port: the load client's endpoint (it signs; the floor does not check). */
  endpoint: string;
  /** The process ids of its front door and its responder. */
  pids: { gateway: number; responder: number };
  stop(): Promise<void>;
}

/** The product's services open pools of this size (DATABASE_POOL_SIZE's default). */
const POOL_SIZE = 20;

/** `nodeArgs` go to both processes (`--cpu-prof` for a profile, say). */
export async function startFloor(databaseUrl: string, nodeArgs: string[] = []): Promise<Floor> {
  await query(
    databaseUrl,
    'create table if not exists floor_configurations (id bigserial primary key, payload jsonb not null)',
  );
  const port = await freePort();
  const env = {
    ...process.env,
    NATS_URL: process.env.NATS_URL!,
    DATABASE_URL: databaseUrl,
    FLOOR_SUBJECT: `floor.${randomUUID()}`,
    FLOOR_POOL_SIZE: String(POOL_SIZE),
    FLOOR_PORT: String(port),
  };
  const processes: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(processes.map(stopProcess));
    await query(databaseUrl, 'drop table if exists floor_configurations');
  };
  try {
    // The responder first, so that the front door's first request finds it subscribed.
    for (const file of ['floor-responder.mjs', 'floor-gateway.mjs']) {
      const child = fork(join(__dirname, 'floor', file), { env, execArgv: nodeArgs, stdio: 'inherit' });
      processes.push(child);
      await ready(child, file);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const [responder, gateway] = processes.map((child) => child.pid!);
  return { endpoint: `http://127.0.0.1:${port}`, pids: { gateway, responder }, stop };
}

function ready(child: ChildProcess, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`the floor's ${file} exited with ${code} before it was ready`)));
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function query(databaseUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
