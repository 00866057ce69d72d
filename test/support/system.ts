import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { eventsStreamName } from '@lm/messaging';
import { connect } from 'nats';
import { createTestDatabase } from './test-database';

export const ROOT = join(__dirname, '../..');
export const CREDENTIALS_FILE = join(ROOT, 'infra/credentials.dev.json');

interface DevAccount {
  accountId: string;
  accessKeys: { accessKeyId: string; secretAccessKey: string }[];
}

const devAccounts: DevAccount[] = JSON.parse(readFileSync(CREDENTIALS_FILE, 'utf8')).accounts;

/** The development accounts by role: management and members of the organization, and an outsider. */
export const accounts = {
  management: devAccounts.find((a) => a.accountId === '111111111111')!,
  member: devAccounts.find((a) => a.accountId === '222222222222')!,
  nestedMember: devAccounts.find((a) => a.accountId === '444444444444')!,
  outsider: devAccounts.find((a) => a.accountId === '333333333333')!,
};

/** Grant principals of the development organization, as the API takes them (ARNs only). */
export const principals = {
  account: (account: { accountId: string }) => `arn:aws:iam::${account.accountId}:root`,
  organization: 'arn:aws:organizations::111111111111:organization/o-lmdev00001',
  engineeringOu: 'arn:aws:organizations::111111111111:ou/o-lmdev00001/ou-lmdv-engineering',
};

export function credentialsOf(account: DevAccount) {
  const [key] = account.accessKeys;
  return { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
}

type ProcessName = 'gateway' | 'licensing' | 'discovery' | 'grants';
const SCRIPTS: Record<ProcessName, string> = {
  gateway: join(ROOT, 'services/gateway/dist/main.js'),
  licensing: join(ROOT, 'services/licensing/dist/main.js'),
  discovery: join(ROOT, 'services/discovery/dist/main.js'),
  grants: join(ROOT, 'services/grants/dist/main.js'),
};

export interface RunningSystem {
  endpoint: string;
  databaseUrl: string;
  region: string;
  /** The system's LM_NATS_NAMESPACE: its subjects are under lm.<namespace>. */
  natsNamespace: string;
  /** Sends a signal to one process (SIGKILL for a crash) and waits for it to exit. */
  kill(name: ProcessName, signal?: NodeJS.Signals): Promise<void>;
  /** Starts a process again (after kill) and waits until the system is healthy. */
  restart(name: ProcessName): Promise<void>;
  waitHealthy(): Promise<void>;
  logs(name: ProcessName): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** The system's JetStream stream of events goes with it. */
async function deleteEventsStream(namespace: string): Promise<void> {
  const nc = await connect({ servers: process.env.NATS_URL });
  try {
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete(eventsStreamName(namespace)).catch(() => undefined);
  } finally {
    await nc.close();
  }
}

/** What the gateway logs when a service answers an error that the operation's model does not list. */
const UNMODELED_ERROR = /\S+ answered \S+ with \S+, which the API model does not list for it/g;

/**
 * Starts the built gateway and services as separate processes against a fresh database, the
 * way `npm start` runs them, and waits until GET /health says every part answers.
 */
export async function startSystem(extraEnv: Record<string, string> = {}): Promise<RunningSystem> {
  const database = await createTestDatabase('lm_e2e');
  const databaseUrl = database.url;
  const port = await freePort();
  const region = 'us-east-1';
  const endpoint = `http://127.0.0.1:${port}`;
  const namespace = `test-${port}-${process.pid}`;
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    NATS_URL: process.env.NATS_URL!,
    PORT: String(port),
    LM_REGION: region,
    LM_CREDENTIALS_FILE: CREDENTIALS_FILE,
    LM_SERVICES: 'licensing,discovery,grants',
    // Its own subjects, so that no other system on the same NATS server answers its requests.
    LM_NATS_NAMESPACE: namespace,
    ...extraEnv,
  };
  const processes = new Map<ProcessName, ChildProcess>();
  const unmodeledErrors = new Set<string>();
  const output = new Map<ProcessName, string>();

  const launch = (name: ProcessName) => {
    const child = spawn(process.execPath, ['--enable-source-maps', SCRIPTS[name]], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const append = (chunk: Buffer) => {
      const text = chunk.toString();
      for (const match of text.matchAll(UNMODELED_ERROR)) unmodeledErrors.add(match[0]);
      output.set(name, ((output.get(name) ?? '') + text).slice(-20_000));
    };
    child.stdout!.on('data', append);
    child.stderr!.on('data', append);
    processes.set(name, child);
  };

  const waitHealthy = async () => {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      try {
        const response = await fetch(`${endpoint}/health`);
        if (response.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`system did not become healthy:\n${[...output].map(([n, o]) => `--- ${n}\n${o}`).join('\n')}`);
  };

  const kill = async (name: ProcessName, signal: NodeJS.Signals = 'SIGTERM') => {
    const child = processes.get(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  };

  const stop = async () => {
    await Promise.all([...processes.keys()].map((name) => kill(name)));
    await database.drop();
    await deleteEventsStream(namespace);
    // Every suite also checks that no service answered an error its operation's model does not list.
    if (unmodeledErrors.size > 0) throw new Error(`errors outside the API model:\n${[...unmodeledErrors].join('\n')}`);
  };

  launch('licensing');
  launch('discovery');
  launch('grants');
  launch('gateway');
  // A system that never becomes healthy is stopped here: its caller has nothing to stop.
  await waitHealthy().catch(async (error: Error) => {
    await stop();
    throw error;
  });

  return {
    endpoint,
    databaseUrl,
    region,
    natsNamespace: namespace,
    kill,
    async restart(name) {
      launch(name);
      await waitHealthy();
    },
    waitHealthy,
    logs: (name) => output.get(name) ?? '',
    stop,
  };
}
