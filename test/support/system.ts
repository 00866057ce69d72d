import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { BUILT_SERVICES } from '@lm/contracts';
import { auditStreamName, eventsStreamName } from '@lm/messaging';
import { connect } from 'nats';
import { secretsFound } from './secret-scan';
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

export type ProcessName =
  | 'gateway'
  | 'licensing'
  | 'discovery'
  | 'grants'
  | 'reporting'
  | 'user-subscriptions'
  | 'linux-subscriptions'
  | 'conversion';
type ServiceProcess = Exclude<ProcessName, 'gateway'>;
/**
 * The script that starts a process: its bundle, as `npm start` and the image run it
 * (infra/build/bundle-services.mjs; tsc's dist/main.js when the bundle is older than tsc's output).
 */
export const scriptOf = (name: ProcessName): string => join(ROOT, `services/${name}/dist/bundle/main.js`);

export interface RunningSystem {
  endpoint: string;
  databaseUrl: string;
  region: string;
  /** The system's LM_NATS_NAMESPACE: its subjects are under lm.<namespace>. */
  natsNamespace: string;
  /** Sends a signal to one process (SIGKILL for a crash; the first replica unless told) and waits for it to exit. */
  kill(name: ProcessName, signal?: NodeJS.Signals, replica?: number): Promise<void>;
  /** Starts a process again (after kill) and waits until it is ready and the system is healthy. */
  restart(name: ProcessName, replica?: number): Promise<void>;
  waitHealthy(): Promise<void>;
  logs(name: ProcessName, replica?: number): string;
  /** The process ids of a service's replicas, in replica order (metrics name a replica `host:pid`). */
  pids(name: ProcessName): number[];
  stop(): Promise<void>;
}

export interface SystemOptions {
  /**
   * How many processes of each service to start (1 unless told): on the one database and the
   * one NATS namespace, so they share the service's queue group and durable consumers.
   */
  replicas?: Partial<Record<ServiceProcess, number>>;
  /** Node options for every process, before its script (`--cpu-prof`, which NODE_OPTIONS refuses). */
  nodeArgs?: string[];
  /** How long the processes have to become ready and healthy (60 s unless told; more under a profiler). */
  startTimeoutMs?: number;
}

/** A TCP port nothing listens on at the moment. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** The JetStream streams of events and audit records of a NATS namespace (they go with its system). */
export async function deleteNamespaceStreams(namespace: string): Promise<void> {
  const nc = await connect({ servers: process.env.NATS_URL });
  try {
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete(eventsStreamName(namespace)).catch(() => undefined);
    await jsm.streams.delete(auditStreamName(namespace)).catch(() => undefined);
  } finally {
    await nc.close();
  }
}

/** What the gateway logs when a service answers an error that the operation's model does not list. */
const UNMODELED_ERROR = /\S+ answered \S+ with \S+, which the API model does not list for it/g;
/**
 * UNMODELED_ERROR's fixed part. The expression tries every position of the text, and each \S+
 * scans a word and backs off: over the gateway's line per request it took the load client a sixth
 * of its CPU in the benches (CPU the system measured beside it lacked); the text is searched
 * for this first.
 */
const UNMODELED_ERROR_PHRASE = 'which the API model does not list';

/** The JSON log line a service writes once it takes requests (runService). */
const READY = /"msg":"ready"/;

/**
 * Starts the built gateway and services as separate processes against a fresh database, the
 * way `npm start` runs them, and waits until every service process says it is ready and
 * GET /health says every part answers.
 */
export async function startSystem(
  extraEnv: Record<string, string> = {},
  options: SystemOptions = {},
): Promise<RunningSystem> {
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
    LM_SERVICES: BUILT_SERVICES.join(','),
    // Its own subjects, so that no other system on the same NATS server answers its requests.
    LM_NATS_NAMESPACE: namespace,
    // Plain logs, which the tests read.
    NO_COLOR: '1',
    ...extraEnv,
  };
  /** Every process by `<name>#<replica>`, with its recent output and whether it said it was ready. */
  const processes = new Map<string, { child: ChildProcess; output: string; ready: boolean }>();
  const unmodeledErrors = new Set<string>();
  /** Everything each process wrote, restarts included: searched for secrets when the system stops. */
  const transcripts = new Map<string, string[]>();
  const keyOf = (name: ProcessName, replica = 0) => `${name}#${replica}`;

  const launch = (name: ProcessName, replica = 0) => {
    const child = spawn(process.execPath, ['--enable-source-maps', ...(options.nodeArgs ?? []), scriptOf(name)], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const running = { child, output: processes.get(keyOf(name, replica))?.output ?? '', ready: false };
    const transcript = transcripts.get(keyOf(name, replica)) ?? [];
    transcripts.set(keyOf(name, replica), transcript);
    const append = (chunk: Buffer) => {
      const text = chunk.toString();
      transcript.push(text);
      if (text.includes(UNMODELED_ERROR_PHRASE))
        for (const match of text.matchAll(UNMODELED_ERROR)) unmodeledErrors.add(match[0]);
      running.ready ||= READY.test(text);
      running.output = (running.output + text).slice(-20_000);
    };
    child.stdout!.on('data', append);
    child.stderr!.on('data', append);
    processes.set(keyOf(name, replica), running);
  };
  const notReady = (key: string, ready: boolean) => !key.startsWith('gateway#') && !ready;
  /**
   * Why start-up failed: every process's output, those not ready last, then how those exited (if
   * they did) and the last /health answer; a CI log keeps only the tail of a long message.
   */
  const failureReport = (health: string) => {
    const isWaiting = ([key, { ready }]: [string, { ready: boolean }]) => notReady(key, ready);
    const entries = [...processes].sort((a, b) => Number(isWaiting(a)) - Number(isWaiting(b)));
    const exitOf = ({ exitCode, signalCode }: ChildProcess) =>
      exitCode !== null ? `exited with ${exitCode}` : signalCode !== null ? `killed by ${signalCode}` : 'running';
    const waiting = entries.filter(isWaiting).map(([key, { child }]) => `${key} (${exitOf(child)})`);
    return [
      ...entries.map(([key, { output }]) => `--- ${key}\n${output}`),
      `--- not ready: ${waiting.join(', ') || 'none'}`,
      `--- last /health: ${health}`,
    ].join('\n');
  };

  // Health asks one replica of each service; each replica says by itself when it takes requests.
  const waitHealthy = async () => {
    const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
    let health = 'no answer';
    while (Date.now() < deadline) {
      const waiting = [...processes].filter(([key, { ready }]) => notReady(key, ready));
      // A process that exited before it was ready will not become ready: no use waiting out the deadline.
      if (waiting.some(([, { child }]) => child.exitCode !== null || child.signalCode !== null)) break;
      try {
        const response = await fetch(`${endpoint}/health`);
        health = `${response.status} ${await response.text()}`;
        if (response.status === 200 && waiting.length === 0) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`system did not become healthy:\n${failureReport(health)}`);
  };

  const killProcess = async (key: string, signal: NodeJS.Signals) => {
    const child = processes.get(key)?.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  };
  const kill = (name: ProcessName, signal: NodeJS.Signals = 'SIGTERM', replica = 0) =>
    killProcess(keyOf(name, replica), signal);

  const stop = async () => {
    await Promise.all([...processes.keys()].map((key) => killProcess(key, 'SIGTERM')));
    // Every suite also checks that no secret it was handed or signed with is in any log line or row.
    const leaks = await secretsFound(
      databaseUrl,
      [...transcripts].map(([key, chunks]) => [key, chunks.join('')]),
      devAccounts.flatMap((account) => account.accessKeys),
    );
    await database.drop();
    await deleteNamespaceStreams(namespace);
    if (leaks.length > 0) throw new Error(`secrets in the system's logs or storage:\n${leaks.join('\n')}`);
    // And that no service answered an error its operation's model does not list.
    if (unmodeledErrors.size > 0) throw new Error(`errors outside the API model:\n${[...unmodeledErrors].join('\n')}`);
  };

  for (const service of BUILT_SERVICES) {
    for (let replica = 0; replica < (options.replicas?.[service] ?? 1); replica++) launch(service, replica);
  }
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
    async restart(name, replica = 0) {
      launch(name, replica);
      await waitHealthy();
    },
    waitHealthy,
    logs: (name, replica = 0) => processes.get(keyOf(name, replica))?.output ?? '',
    pids: (name) =>
      [...processes]
        .filter(([key]) => key.startsWith(`${name}#`))
        .sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }))
        .map(([, { child }]) => child.pid!),
    stop,
  };
}
