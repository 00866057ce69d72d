import { setTimeout as sleep } from 'node:timers/promises';
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requireAwsCli } from '../support/required-tools';
import { accounts, credentialsOf, ROOT } from '../support/system';
import { alive } from '../support/processes';

/**
 * `npm start` on a machine where nothing runs: inside a network namespace of its own, nothing
 * answers on 127.0.0.1:5432 or :4222 (this machine's own servers are outside it), so the supervisor
 * must start the embedded PostgreSQL and nats-server itself, serve signed requests, and leave
 * nothing behind when it stops.
 */

const NAMESPACE = `lmfresh${process.pid}`;
/** iproute2's `ip`, by its full path: one test takes from the PATH every directory with nats-server in it. */
const IP =
  (process.env.PATH ?? '')
    .split(delimiter)
    .map((dir) => join(dir, 'ip'))
    .find((file) => existsSync(file)) ?? 'ip';
/** The services' STOP_TIMEOUT_MS, then the embedded servers' stop (a few hundred ms; 15 s at most). */
const STOP_BOUND_MS = 10_000 + 5_000;

/** Creates the namespace with its loopback up. */
function createNamespace(): void {
  execFileSync(IP, ['netns', 'add', NAMESPACE], { stdio: 'pipe' });
  execFileSync(IP, ['netns', 'exec', NAMESPACE, IP, 'link', 'set', 'lo', 'up'], { stdio: 'pipe' });
}

const deleteNamespace = () => execFileSync(IP, ['netns', 'delete', NAMESPACE], { stdio: 'pipe' });

/**
 * Why this machine cannot run these tests (not root, or no iproute2), found by creating the
 * namespace once; undefined when it can. The tests create it again, so that a run that filters
 * them all out leaves none behind.
 */
function cannotCreateNamespaces(): string | undefined {
  try {
    createNamespace();
    deleteNamespace();
    return undefined;
  } catch (error) {
    const { stderr, message } = error as { stderr?: Buffer; message: string };
    return `a network namespace cannot be created here (${stderr?.toString().trim() || message}): it needs root and iproute2`;
  }
}
const cannotIsolate = cannotCreateNamespaces();
if (cannotIsolate) console.warn(`[fresh-machine] skipped: ${cannotIsolate}`);

/** This machine's environment without what would point the system at its servers. */
function freshEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env, NO_COLOR: '1', ...extra };
  for (const name of ['DATABASE_URL', 'NATS_URL', 'EVENTSTORE_URL', 'LM_NATS_NAMESPACE', 'PORT']) delete env[name];
  return env;
}

/** The processes whose command line names `dataDir`: the embedded PostgreSQL, nats-server and their parent. */
function processesUsing(dataDir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    let commandLine: string;
    try {
      commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      continue; // exited meanwhile
    }
    if (commandLine.includes(dataDir)) found.push(`${pid} ${commandLine.trim()}`);
  }
  return found;
}

/** `node infra/supervisor/start.mjs --no-build` inside the namespace, its output and how it ended. */
class FreshStart {
  output = '';
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;

  constructor(env: NodeJS.ProcessEnv) {
    // `ip netns exec` execs the command: the child is the supervisor itself, and gets the signals.
    this.child = spawn(IP, ['netns', 'exec', NAMESPACE, process.execPath, 'infra/supervisor/start.mjs', '--no-build'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const append = (chunk: Buffer) => (this.output += chunk.toString());
    this.child.stdout!.on('data', append);
    this.child.stderr!.on('data', append);
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** Waits for the supervisor's ready line and says how long it took. */
  async ready(timeoutMs = 120_000): Promise<number> {
    const started = Date.now();
    while (!/ready: http:\/\/localhost:8080 \(gateway, licensing, discovery, grants/.test(this.output)) {
      if (Date.now() - started > timeoutMs || this.child.exitCode !== null) {
        throw new Error(`no ready line after ${Date.now() - started} ms:\n${this.output}`);
      }
      await sleep(100);
    }
    return Date.now() - started;
  }

  /** The pids the supervisor said it started (its log is JSON lines or prefixed lines: the message is the same). */
  servicePids(): number[] {
    return [...this.output.matchAll(/\b[a-z]+ started \(pid (\d+)\)/g)].map(([, pid]) => Number(pid));
  }

  /** The processes the ready line names: the gateway and every service. */
  readyProcesses(): string[] {
    return /ready: http:\/\/localhost:8080 \(([a-z, -]+)\)/.exec(this.output)![1].split(', ');
  }
}

/** The AWS CLI inside the namespace, as the README's commands run it, signed as the management account. */
async function awsInNamespace(args: string[]): Promise<any> {
  await requireAwsCli();
  const { accessKeyId, secretAccessKey } = credentialsOf(accounts.management);
  return new Promise((resolve, reject) =>
    execFile(
      IP,
      ['netns', 'exec', NAMESPACE, 'aws', ...args, '--endpoint-url', 'http://localhost:8080', '--output', 'json'],
      {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          AWS_ACCESS_KEY_ID: accessKeyId,
          AWS_SECRET_ACCESS_KEY: secretAccessKey,
          AWS_DEFAULT_REGION: 'us-east-1',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          AWS_MAX_ATTEMPTS: '1',
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout)),
    ),
  );
}

describe.skipIf(cannotIsolate)('npm start on a machine with only Node.js and nats-server', () => {
  let dataDir: string;
  let running: FreshStart | undefined;

  beforeAll(() => {
    createNamespace();
    // Not .data/ of the repository: a developer's own cluster there must not meet this one. Others
    // must be able to pass through it: as root, PostgreSQL runs as the user postgres.
    dataDir = mkdtempSync(join(tmpdir(), 'lm-fresh-'));
    chmodSync(dataDir, 0o755);
  });

  afterEach(async () => {
    // Whatever a failed test left running goes, so that the next suites find the machine clean.
    if (running && running.child.exitCode === null) running.child.kill('SIGKILL');
    for (const pid of running?.servicePids() ?? []) if (alive(pid)) process.kill(pid, 'SIGKILL');
    for (const line of processesUsing(dataDir)) process.kill(Number(line.split(' ')[0]), 'SIGKILL');
    running = undefined;
  });

  afterAll(() => {
    deleteNamespace();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Starts, waits until ready, runs `use`, sends `signal`: exit code 0 and nothing left running. */
  async function startUseAndStop(
    signal: NodeJS.Signals,
    use: () => Promise<void>,
  ): Promise<{ readyMs: number; output: string }> {
    running = new FreshStart(freshEnvironment({ LM_DATA_DIR: dataDir }));
    const readyMs = await running.ready();
    console.log(`[fresh-machine] ready ${readyMs} ms after start`);

    await use();

    const stopped = Date.now();
    running.child.kill(signal);
    const code = await running.exited;
    const { output } = running;
    expect(code, output).toBe(0);
    expect(Date.now() - stopped).toBeLessThan(STOP_BOUND_MS);
    expect(output).toMatch(/the embedded PostgreSQL and nats-server stopped/);
    expect(running.servicePids()).toHaveLength(running.readyProcesses().length);
    expect(running.servicePids().filter(alive)).toEqual([]);
    expect(processesUsing(dataDir)).toEqual([]);
    return { readyMs, output };
  }

  it('starts the embedded PostgreSQL and nats-server, answers the AWS CLI, and SIGTERM leaves no process behind', async () => {
    const { output } = await startUseAndStop('SIGTERM', async () => {
      const created = await awsInNamespace([
        'license-manager',
        'create-license-configuration',
        '--name',
        'fresh machine',
        '--license-counting-type',
        'vCPU',
      ]);
      expect(created.LicenseConfigurationArn).toMatch(/^arn:aws:license-manager:us-east-1:111111111111:/);
      const listed = await awsInNamespace(['license-manager', 'list-license-configurations']);
      expect(listed.LicenseConfigurations.map((c: { Name: string }) => c.Name)).toEqual(['fresh machine']);
    });

    expect(output).toMatch(
      new RegExp(
        `started the embedded PostgreSQL at postgres://postgres@127\\.0\\.0\\.1:5432/test \\(data ${dataDir}/postgres`,
      ),
    );
    expect(output).toMatch(
      new RegExp(`started \\S*nats-server -js at nats://127\\.0\\.0\\.1:4222 \\(data ${dataDir}/nats`),
    );
    expect(existsSync(join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
  }, 180_000);

  it('keeps its data in LM_DATA_DIR: started again, it still has what it had; SIGINT stops it as cleanly', async () => {
    await startUseAndStop('SIGINT', async () => {
      const listed = await awsInNamespace(['license-manager', 'list-license-configurations']);
      expect(listed.LicenseConfigurations.map((c: { Name: string }) => c.Name)).toEqual(['fresh machine']);
    });
  }, 180_000);

  it('npm test uses the same servers: an integration suite passes on them, and they are stopped after it', async () => {
    // Vitest's own variables would make the inner run think it is a worker of this one.
    const env = freshEnvironment({ LM_DATA_DIR: dataDir });
    for (const name of Object.keys(env)) if (/^(VITEST|TEST$|NODE_ENV$)/.test(name)) delete env[name];
    const vitest = join(ROOT, 'node_modules/vitest/vitest.mjs');
    const suite = 'libs/service-kit/test/startup-checks.integration.test.ts';

    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(
        IP,
        ['netns', 'exec', NAMESPACE, process.execPath, vitest, 'run', '--project', 'e2e', suite],
        {
          cwd: ROOT,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => resolve({ code, output }));
    });

    expect(code, output).toBe(0);
    expect(output).toMatch(
      /\[test\] DATABASE_URL unset and nothing on 127\.0\.0\.1:5432: started the embedded PostgreSQL/,
    );
    expect(output).toMatch(/\[test\] NATS_URL unset and nothing on 127\.0\.0\.1:4222: started \S*nats-server -js/);
    expect(output).toMatch(/Tests +4 passed/);
    expect(output).toMatch(/\[test\] the embedded PostgreSQL and nats-server stopped/);
    expect(processesUsing(dataDir)).toEqual([]);
  }, 180_000);

  it('without nats-server on the PATH, stops at once with one line saying how to install it', async () => {
    const path = (process.env.PATH ?? '')
      .split(delimiter)
      .filter((dir) => !existsSync(join(dir, 'nats-server')))
      .join(delimiter);
    running = new FreshStart(freshEnvironment({ LM_DATA_DIR: dataDir, PATH: path }));

    const code = await running.exited;

    expect(code).toBe(1);
    const lines = running.output.trim().split('\n');
    expect(lines, running.output).toHaveLength(1);
    expect(lines[0]).toMatch(/nats-server is not installed: install it \(Debian\/Ubuntu: apt-get install nats-server;/);
    expect(processesUsing(dataDir)).toEqual([]);
  });
});
