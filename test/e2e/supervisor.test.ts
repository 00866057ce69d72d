import { setTimeout as sleep } from 'node:timers/promises';
import { BUILT_SERVICES } from '@lm/contracts';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { deleteNamespaceStreams, ROOT } from '../support/system';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { alive } from '../support/processes';

/** What npm start runs: the gateway and every service this build contains. */
const PROCESSES = ['gateway', ...BUILT_SERVICES];
/** The supervisor's STOP_TIMEOUT_MS, and a little for the supervisor's own exit. */
const STOP_BOUND_MS = 10_000 + 1_000;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Whether anything still listens on the port (on every interface, as the gateway does). */
async function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(true));
    server.listen(port, () => server.close(() => resolve(false)));
  });
}

interface LogRecord {
  level: string;
  time: string;
  service: string;
  msg: string;
}

/** The JSON log records among these lines (npm adds lines of its own before them). */
const recordsOf = (output: string): LogRecord[] =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogRecord);

/** The supervisor (or npm start) as a test sees it: its output, the pids it logged, and how it ended. */
class Supervised {
  output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {
    const append = (chunk: Buffer) => (this.output += chunk.toString());
    child.stdout!.on('data', append);
    child.stderr!.on('data', append);
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** The messages of the supervisor's own log records, one a line (its output is not a terminal: JSON lines). */
  get supervisorLog(): string {
    const complete = this.output.slice(0, this.output.lastIndexOf('\n') + 1);
    return recordsOf(complete)
      .filter((record) => record.service === 'supervisor')
      .map((record) => `${record.msg}\n`)
      .join('');
  }

  /** Every pid the supervisor said it started, by process name. */
  pids(name: string): number[] {
    return [...this.supervisorLog.matchAll(new RegExp(`^${name} started \\(pid (\\d+)\\)$`, 'gm'))].map(([, pid]) =>
      Number(pid),
    );
  }

  allPids(): number[] {
    return PROCESSES.flatMap((name) => this.pids(name));
  }

  /** Waits until the supervisor's log shows `pattern` `times` times. */
  async waitFor(pattern: RegExp, times = 1, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const count = () => [...this.supervisorLog.matchAll(new RegExp(pattern, 'gm'))].length;
    while (count() < times) {
      if (Date.now() > deadline || this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`no ${pattern} (x${times}) in the output:\n${this.output}`);
      }
      await sleep(100);
    }
  }

  /** Sends SIGTERM and says how it ended and how long that took. */
  async terminate() {
    const sent = Date.now();
    this.child.kill('SIGTERM');
    const { code, signal } = await this.exited;
    return { code, signal, elapsedMs: Date.now() - sent };
  }
}

const READY = new RegExp(`^ready: http://localhost:\\d+ \\(${PROCESSES.join(', ')}\\)$`, 'm');

describe('the supervisor of npm start', () => {
  let database: TestDatabase | undefined;
  let namespace: string | undefined;
  let supervised: Supervised | undefined;

  /** Runs `command` (the build is done: --no-build) on a fresh database, a free port and its own NATS subjects. */
  async function launch(command: string, args: string[], extraEnv: Record<string, string> = {}) {
    database = await createTestDatabase('lm_supervisor');
    const port = await freePort();
    namespace = `test-supervisor-${port}-${process.pid}`;
    const child = spawn(command, args, {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        NATS_URL: process.env.NATS_URL!,
        PORT: String(port),
        LM_NATS_NAMESPACE: namespace,
        NO_COLOR: '1',
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    supervised = new Supervised(child, port);
    return supervised;
  }

  /** Runs `command` and waits for the supervisor's ready line. */
  async function start(command: string, args: string[], extraEnv: Record<string, string> = {}): Promise<Supervised> {
    const system = await launch(command, args, extraEnv);
    await system.waitFor(READY);
    return system;
  }

  afterEach(async () => {
    // Whatever a failed test left running goes, so that the next suites find the machine clean.
    if (supervised) {
      supervised.child.kill('SIGKILL');
      for (const pid of supervised.allPids()) if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
    await database?.drop();
    if (namespace) await deleteNamespaceStreams(namespace);
    supervised = database = namespace = undefined;
  });

  /**
   * What every orderly stop shows: each running process stopped in the log, the gateway first,
   * the exit code said, and nothing left running or listening.
   */
  async function expectStoppedInOrder(system: Supervised, { exitCode = 0, running = PROCESSES } = {}) {
    const log = system.supervisorLog;
    for (const name of running) {
      expect(log).toContain(`\nstopping ${name}\n`);
      expect(log).toContain(`\n${name} stopped\n`);
    }
    // The gateway goes first, so that its requests in flight find the services still there.
    const gatewayStopped = log.indexOf('\ngateway stopped\n');
    for (const name of running.filter((name) => name !== 'gateway')) {
      expect(log.indexOf(`\nstopping ${name}\n`)).toBeGreaterThan(gatewayStopped);
    }
    // Each process that had started says itself that it stopped (one stopped during its start-up has no say).
    const records = recordsOf(system.output);
    const said = (name: string, msg: RegExp) =>
      records.some((record) => record.service === name && msg.test(record.msg));
    for (const name of running.filter((name) => said(name, /^(ready|listening on port \d+ .*)$/))) {
      expect(said(name, /^stopped$/), `${name} stopped`).toBe(true);
    }
    expect(log).toContain(`every process stopped; exiting with ${exitCode}\n`);
    expect(system.allPids().filter(alive)).toEqual([]);
    expect(await portTaken(system.port)).toBe(false);
  }

  it('says where the system is ready, and SIGTERM stops every process in order and exits 0 within 10 s', async () => {
    const system = await start(process.execPath, ['infra/supervisor/start.mjs', '--no-build']);
    expect((await fetch(`http://127.0.0.1:${system.port}/health`)).status).toBe(200);
    expect(system.supervisorLog).toContain(`ready: http://localhost:${system.port} (${PROCESSES.join(', ')})\n`);
    expect(system.allPids()).toHaveLength(PROCESSES.length);
    // Not a terminal: every line is a JSON record, the processes' passed on as they wrote them.
    const lines = system.output.trimEnd().split('\n');
    const records = recordsOf(system.output);
    expect(records).toHaveLength(lines.length);
    for (const record of records) {
      expect(record).toMatchObject({ level: expect.any(String), time: expect.any(String), msg: expect.any(String) });
      expect(['supervisor', ...PROCESSES]).toContain(record.service);
    }
    for (const name of PROCESSES.filter((name) => name !== 'gateway')) {
      expect(records.some((record) => record.service === name && record.msg === 'ready')).toBe(true);
    }

    const { code, elapsedMs } = await system.terminate();

    expect(code, system.output).toBe(0);
    expect(elapsedMs).toBeLessThan(STOP_BOUND_MS);
    await expectStoppedInOrder(system);
  });

  it('SIGTERM to `npm start` reaches the supervisor, which stops everything', async () => {
    const system = await start('npm', ['start', '--', '--no-build']);

    const { code, elapsedMs } = await system.terminate();

    expect(system.supervisorLog).toContain('SIGTERM: stopping every process\n');
    expect(code, system.output).toBe(0);
    expect(elapsedMs).toBeLessThan(STOP_BOUND_MS);
    await expectStoppedInOrder(system);
  });

  it('restarts a service killed with SIGKILL, after which the system is healthy again', async () => {
    const system = await start(process.execPath, ['infra/supervisor/start.mjs', '--no-build']);
    const [firstLicensing] = system.pids('licensing');

    process.kill(firstLicensing, 'SIGKILL');

    await system.waitFor(/^licensing exited unexpectedly \(signal SIGKILL\); restarting it in 1 s$/);
    await system.waitFor(/^licensing started/, 2);
    await system.waitFor(READY, 2);
    expect((await fetch(`http://127.0.0.1:${system.port}/health`)).status).toBe(200);
    const [, secondLicensing] = system.pids('licensing');
    expect(alive(secondLicensing)).toBe(true);

    const { code } = await system.terminate();
    expect(code, system.output).toBe(0);
    await expectStoppedInOrder(system);
  });

  it('gives up on a service that dies a sixth time within a minute: stops everything and exits 1', async () => {
    // Back-off 0.1, 0.2, 0.4, 0.8 and 1.6 s (1, 2, 4... unless set): five restarts well within the
    // minute, each killed as soon as it started.
    const system = await start(process.execPath, ['infra/supervisor/start.mjs', '--no-build'], {
      LM_RESTART_FIRST_DELAY_MS: '100',
    });

    for (let restarts = 1; restarts <= 5; restarts++) {
      process.kill(system.pids('licensing').at(-1)!, 'SIGKILL');
      await system.waitFor(/^licensing started/, restarts + 1);
    }
    process.kill(system.pids('licensing').at(-1)!, 'SIGKILL');

    const { code } = await system.exited;
    expect(code, system.output).toBe(1);
    expect(system.supervisorLog.match(/^licensing exited unexpectedly .*$/gm)).toEqual(
      ['0.1', '0.2', '0.4', '0.8', '1.6'].map(
        (seconds) => `licensing exited unexpectedly (signal SIGKILL); restarting it in ${seconds} s`,
      ),
    );
    expect(system.supervisorLog).toContain(
      'licensing exited (signal SIGKILL) after 5 restarts in the last minute; giving up, stopping everything\n',
    );
    await expectStoppedInOrder(system, {
      exitCode: 1,
      running: [
        'gateway',
        'discovery',
        'grants',
        'reporting',
        'user-subscriptions',
        'linux-subscriptions',
        'conversion',
      ],
    });
  }, 90_000);

  it('does not restart a service that fails before the system was ever ready: stops everything and exits 1', async () => {
    // A malformed master key: grants and user-subscriptions refuse to start, and would refuse again on every restart.
    const system = await launch(process.execPath, ['infra/supervisor/start.mjs', '--no-build'], {
      LM_MASTER_KEY: 'not-a-key',
    });

    const { code } = await system.exited;

    expect(code, system.output).toBe(1);
    const first =
      /^(grants|user-subscriptions) exited \(exit code 1\) before the system was ready; stopping everything$/m.exec(
        system.supervisorLog,
      )?.[1];
    expect(first, system.supervisorLog).toBeDefined();
    expect(system.supervisorLog).not.toMatch(READY);
    // Why, in the service's own words, as a JSON record of its own.
    expect(recordsOf(system.output)).toContainEqual(
      expect.objectContaining({
        service: first,
        level: 'fatal',
        msg: expect.stringMatching(/^cannot start: LM_MASTER_KEY must be 32 bytes/),
      }),
    );
    expect(system.pids('grants')).toHaveLength(1);
    expect(system.pids('user-subscriptions')).toHaveLength(1);
    await expectStoppedInOrder(system, {
      exitCode: 1,
      running: ['gateway', 'licensing', 'discovery', 'reporting', 'linux-subscriptions', 'conversion'],
    });
  });
});
