import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Client } from 'pg';
import { DEFAULT_DURATION_MS } from './measure';

/** A pgbench transaction script with the table it runs on, created for the run and dropped after it. */
interface Workload {
  /** Names the table and the script file. */
  name: string;
  /** Creates (and fills) the table. */
  setup: string;
  script: string;
}

/** One short write transaction: the floor any create through the system is compared with. */
const INSERT: Workload = {
  name: 'bench_insert',
  setup: 'create table bench_insert (id bigserial primary key, payload jsonb, created_at timestamptz default now())',
  script: `insert into bench_insert(payload) values ('{"a":1}');\n`,
};

/**
 * Every client updates the same row: the floor for writes that all go through one hot record,
 * as admissions against one configuration do. Clients queue on the row lock, so this measures
 * how fast PostgreSQL hands one row from committer to committer.
 */
const UPDATE: Workload = {
  name: 'bench_update',
  setup: 'create table bench_update (id int primary key, n bigint not null); insert into bench_update values (1, 0)',
  script: 'update bench_update set n = n + 1 where id = 1;\n',
};

export interface PgbenchResult {
  clients: number;
  /** Transactions per second, without initial connection time. */
  tps: number;
  latencyAverageMs: number;
  /** Where pgbench ran: inside the testcontainers PostgreSQL, or the local binary. */
  runner: 'container' | 'local';
}

interface Connection {
  host: string;
  port: string;
  user?: string;
  password?: string;
  database: string;
}

/** Runs pgbench with `args` (without connection options) on the workload's script and resolves with its standard output. */
type Runner = { kind: PgbenchResult['runner']; run(workload: Workload, args: string[]): Promise<string> };

/** pgbench's rate for a one-row INSERT transaction at `clients` concurrent connections on the database of `databaseUrl`. */
export function pgbenchInsertRate(
  databaseUrl: string,
  clients: number,
  durationSeconds?: number,
): Promise<PgbenchResult> {
  return pgbenchRate(databaseUrl, INSERT, clients, durationSeconds);
}

/** pgbench's rate for UPDATE of one and the same row at `clients` concurrent connections. */
export function pgbenchUpdateRate(
  databaseUrl: string,
  clients: number,
  durationSeconds?: number,
): Promise<PgbenchResult> {
  return pgbenchRate(databaseUrl, UPDATE, clients, durationSeconds);
}

async function pgbenchRate(
  databaseUrl: string,
  workload: Workload,
  clients: number,
  durationSeconds = DEFAULT_DURATION_MS / 1_000,
): Promise<PgbenchResult> {
  const runner = await findRunner(databaseUrl);
  await untilConnectionsFree(databaseUrl, clients);
  await query(databaseUrl, workload.setup);
  try {
    const threads = Math.min(clients, availableParallelism());
    const output = await runner.run(workload, [
      '-n',
      '-c',
      String(clients),
      '-j',
      String(threads),
      '-T',
      String(durationSeconds),
    ]);
    return { clients, ...parsePgbenchOutput(output), runner: runner.kind };
  } finally {
    await query(databaseUrl, `drop table if exists ${workload.name}`);
  }
}

function parsePgbenchOutput(output: string): { tps: number; latencyAverageMs: number } {
  // pgbench 14+ prints "without initial connection time"; older versions "excluding connections establishing".
  const tps = /^tps = ([\d.]+) \((?:without initial connection time|excluding connections establishing)\)/m.exec(
    output,
  );
  const latency = /^latency average = ([\d.]+) ms/m.exec(output);
  if (!tps || !latency) throw new Error(`unexpected pgbench output:\n${output}`);
  return { tps: Number(tps[1]), latencyAverageMs: Number(latency[1]) };
}

/** Inside the PostgreSQL container when testcontainers started it, else the local pgbench. */
async function findRunner(databaseUrl: string): Promise<Runner> {
  const connection = parseDatabaseUrl(databaseUrl);
  return (await containerRunner(connection)) ?? localRunner(connection);
}

function parseDatabaseUrl(databaseUrl: string): Connection {
  const url = new URL(databaseUrl);
  return {
    host: url.hostname,
    port: url.port || '5432',
    user: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    database: decodeURIComponent(url.pathname.slice(1)),
  };
}

function connectionArgs({ host, port, user, database }: Connection): string[] {
  return ['-h', host, '-p', port, ...(user ? ['-U', user] : []), database];
}

function localRunner(connection: Connection): Runner {
  const binary = (process.env.PATH ?? '')
    .split(delimiter)
    .map((dir) => join(dir, 'pgbench'))
    .find((path) => existsSync(path));
  if (!binary)
    throw new Error('pgbench is needed for the comparison: install the PostgreSQL client tools, or run with Docker');
  return {
    kind: 'local',
    async run(workload, args) {
      const dir = await mkdtemp(join(tmpdir(), 'pgbench-'));
      try {
        const script = join(dir, `${workload.name}.sql`);
        await writeFile(script, workload.script);
        return await execFileText(binary, [...args, '-f', script, ...connectionArgs(connection)], {
          ...process.env,
          ...(connection.password ? { PGPASSWORD: connection.password } : {}),
        });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * The testcontainers PostgreSQL container whose published port is the URL's, found through the
 * container runtime (global setup started it in another process, so no handle reaches us).
 * pgbench then runs next to the server, as the official image ships it.
 */
async function containerRunner(connection: Connection): Promise<Runner | undefined> {
  if (!process.env.DOCKER_HOST && !existsSync('/var/run/docker.sock')) return undefined;
  const { getContainerRuntimeClient } = await import('testcontainers');
  const runtime = await getContainerRuntimeClient();
  const published = (await runtime.container.list())
    .filter((info) => info.Labels['org.testcontainers'] === 'true')
    .flatMap((info) => info.Ports.map((port) => ({ id: info.Id, port })))
    .find(({ port }) => String(port.PublicPort) === connection.port);
  if (!published) return undefined;
  const container = runtime.container.getById(published.id);
  const inside = { ...connection, host: '127.0.0.1', port: String(published.port.PrivatePort) };
  const env: Record<string, string> = connection.password ? { PGPASSWORD: connection.password } : {};
  return {
    kind: 'container',
    async run(workload, args) {
      const script = `/tmp/${workload.name}.sql`;
      const written = await runtime.container.exec(container, ['sh', '-c', `printf '%s' "$SCRIPT" > ${script}`], {
        env: { SCRIPT: workload.script },
      });
      if (written.exitCode !== 0)
        throw new Error(`could not write the pgbench script in the container: ${written.output}`);
      const result = await runtime.container.exec(
        container,
        ['pgbench', ...args, '-f', script, ...connectionArgs(inside)],
        { env },
      );
      if (result.exitCode !== 0)
        throw new Error(`pgbench failed in the container (exit ${result.exitCode}):\n${result.output}`);
      return result.stdout;
    },
  };
}

function execFileText(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`pgbench failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** How long pgbench waits for the server to have room for its connections. */
const CONNECTIONS_PATIENCE_MS = 20_000;

/**
 * Waits until the server has room for `clients` more connections (max_connections less the
 * superusers' reserve). Run right after the product's load at 64 clients, pgbench would find
 * the services' pools still at their size (they close a connection idle for 10 s) and be refused
 * "too many clients" for its last ones.
 */
async function untilConnectionsFree(databaseUrl: string, clients: number): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const deadline = Date.now() + CONNECTIONS_PATIENCE_MS;
    for (;;) {
      const { rows } = await client.query<{ free: number }>(
        `select current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int
                - (select count(*) from pg_stat_activity where backend_type = 'client backend')::int as free`,
      );
      if (rows[0].free > clients || Date.now() > deadline) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await client.end();
  }
}

async function query(databaseUrl: string, text: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
