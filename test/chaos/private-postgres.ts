import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { freePort } from '../support/system';

/**
 * A PostgreSQL server of a test's own (Debian's binaries, a cluster in a temporary directory, trust
 * authentication), which the test may stop and start again on the same port and data, as an
 * operator restarts a deployment's database. The machine's shared server is never touched.
 */
export interface PrivatePostgres {
  /** The server's `postgres` database: tests create theirs beside it. */
  url: string;
  /** Stops the server: SIGQUIT is an immediate shutdown (sessions cut, crash recovery at the next start). */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and data, and waits until it takes sessions. */
  start(): Promise<void>;
  /** Runs statements as the server's administrator, one after another. */
  admin(...statements: string[]): Promise<void>;
  /** Stops it for good and removes its data. */
  dispose(): Promise<void>;
}

/** Where Debian keeps a PostgreSQL's binaries (the newest installed), unless PG_BIN says. */
function binaries(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions.length === 0) throw new Error('no PostgreSQL binaries under /usr/lib/postgresql (set PG_BIN)');
  return join(root, versions[0], 'bin');
}

/** PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user. */
function asServerUser(command: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [command, args];
  return ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', command, ...args]];
}

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** `env`: more environment for the server (a moved clock's LD_PRELOAD, say). */
export async function startPrivatePostgres(env: Record<string, string> = {}): Promise<PrivatePostgres> {
  const bin = binaries();
  const port = await freePort();
  const directory = mkdtempSync(join(tmpdir(), 'lm-chaos-postgres-'));
  const data = join(directory, 'data');
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres:postgres', directory]);
  chmodSync(directory, 0o700);
  execFileSync(...asServerUser(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']), {
    stdio: 'ignore',
  });
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let server: ChildProcess | undefined;
  let output = '';

  const start = async () => {
    output = '';
    server = spawn(
      // `env` sets the environment past setpriv: a preloaded library then loads into the server alone.
      ...asServerUser('env', [
        ...Object.entries(env).map(([name, value]) => `${name}=${value}`),
        join(bin, 'postgres'),
        '-D',
        data,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `unix_socket_directories=${directory}`,
        '-c',
        'max_connections=300',
      ]),
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const append = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-10_000));
    server.stdout!.on('data', append);
    server.stderr!.on('data', append);
    const deadline = Date.now() + 30_000;
    while (!(await answers(url))) {
      if (Date.now() > deadline || server.exitCode !== null) throw new Error(`PostgreSQL did not start:\n${output}`);
      await sleep(100);
    }
  };
  const stop = async (signal: NodeJS.Signals = 'SIGQUIT') => {
    const running = server;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(signal);
    await exited;
  };

  await start();
  return {
    url,
    stop,
    start,
    async admin(...statements) {
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        for (const statement of statements) await client.query(statement);
      } finally {
        await client.end();
      }
    },
    async dispose() {
      await stop('SIGTERM');
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
