import { BUILT_SERVICES } from '@lm/contracts';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { Client } from 'pg';
import type { ProcessName, RunningSystem } from '../support/system';
import { formatTable } from './table';

/**
 * CPU time per process, read from /proc: what a request costs each process of the pipeline, in
 * CPU rather than wall time. On a saturated machine throughput is the cores divided by the CPU a
 * request costs in all processes together, so these figures explain the throughput ratios, and,
 * unlike wall time, they hold when something else shares the machine.
 */
const TICKS_PER_SECOND = 100;

/** User plus system CPU of a process so far, in ms (utime and stime of /proc/<pid>/stat); 0 once it is gone. */
export function cpuTimeMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1_000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/**
 * Write system calls of a process so far (syscw of /proc/<pid>/io: write, writev, pwrite, not
 * send or sendmsg); 0 once it is gone. Each message a process sends on a socket is one unless several go together, so
 * this counts round trips and messages independently of the machine's speed.
 */
export function writeCalls(pid: number | 'self'): number {
  try {
    return Number(/^syscw: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** The PostgreSQL backends connected to the database of `databaseUrl` (its pools' connections), by pid. */
export async function databaseBackends(databaseUrl: string): Promise<number[]> {
  return (await databaseSessions(databaseUrl)).map((session) => session.pid);
}

/** Each session on the database of `databaseUrl` but the asker's: its backend's pid and its client's port. */
async function databaseSessions(databaseUrl: string): Promise<{ pid: number; client_port: number }[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number; client_port: number }>(
      'select pid, client_port from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    return rows;
  } finally {
    await client.end();
  }
}

/**
 * The backends of the database of `databaseUrl` by the process group whose session each serves,
 * and `others` for the rest: a backend's client port (pg_stat_activity) is the local port of one
 * of the group's sockets (/proc/net/tcp{,6}, by inode). Which service's statements PostgreSQL's
 * CPU goes to: on writes, the consumers' (reporting's) as much as the service that answers.
 */
export async function backendsByClient(databaseUrl: string, clients: ProcessGroups): Promise<ProcessGroups> {
  const sessions = await databaseSessions(databaseUrl);
  const portOfInode = new Map(tcpSockets().map((socket) => [socket.inode, socket.localPort]));
  const groupOfPort = new Map<number, string>();
  for (const [group, pids] of Object.entries(clients))
    for (const pid of pids)
      for (const socket of socketsOf(pid)) {
        const port = portOfInode.get(socket);
        if (port !== undefined) groupOfPort.set(port, group);
      }
  const groups: ProcessGroups = {};
  for (const { pid, client_port: port } of sessions) (groups[groupOfPort.get(port) ?? 'others'] ??= []).push(pid);
  return groups;
}

/** The sockets a process holds (`socket:[inode]`), none once it is gone or not ours to read. */
function socketsOf(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        return target.startsWith('socket:') ? [target] : [];
      } catch {
        return [];
      }
    });
  } catch {
    return [];
  }
}

/** What PostgreSQL's WAL has taken so far: its flushes to disk (a commit's wait) and its bytes. */
export interface WalActivity {
  flushes: number;
  bytes: number;
}

/**
 * The WAL activity of the server of `databaseUrl` so far (pg_stat_wal: the whole server, the
 * system's database and anything else on it). Each commit that wrote makes a flush unless it
 * shares another's; read-only statements make none. Backends report their counts when they go
 * idle, at most once a second: read more than a second after the load stops (PG_STATS_SETTLE_MS),
 * the figures cover all of it.
 */
export async function walActivity(databaseUrl: string): Promise<WalActivity> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ wal_sync: string; wal_bytes: string }>(
      'select wal_sync, wal_bytes from pg_stat_wal',
    );
    return { flushes: Number(rows[0].wal_sync), bytes: Number(rows[0].wal_bytes) };
  } finally {
    await client.end();
  }
}

/** How long after a load its backends' counts are all reported (PostgreSQL's PGSTAT_MIN_INTERVAL, 1 s, and a margin). */
export const PG_STATS_SETTLE_MS = 1_500;

/**
 * The process listening on a local TCP port (the NATS server of NATS_URL, say): the socket's inode
 * from /proc/net/tcp{,6}, then the process holding it among its file descriptors.
 */
export function listeningPid(port: number): number | undefined {
  const inodes = new Set(
    tcpSockets()
      .filter((socket) => socket.localPort === port && socket.listening)
      .map((socket) => socket.inode),
  );
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name)))
    if (socketsOf(Number(entry)).some((socket) => inodes.has(socket))) return Number(entry);
  return undefined;
}

/** The machine's TCP sockets (/proc/net/tcp{,6}): each one's inode as a file descriptor links to it, its local port, whether it listens. */
function tcpSockets(): { inode: string; localPort: number; listening: boolean }[] {
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields.length > 9)
      // local_address is ADDR:PORT in hex; state 0A is LISTEN; the inode is the tenth field.
      .map((fields) => ({
        inode: `socket:[${fields[9]}]`,
        localPort: parseInt(fields[1].split(':')[1], 16),
        listening: fields[3] === '0A',
      })),
  );
}

/** Named groups of processes (a service's replicas, the database's backends) whose CPU is summed. */
export type ProcessGroups = Record<string, number[]>;

/** Every process of the system: the gateway and each built service. */
export const SYSTEM_PROCESSES: ProcessName[] = ['gateway', ...(BUILT_SERVICES as ProcessName[])];

/** The NATS server of NATS_URL; shared with whatever else uses it: its figure is a run's own only on a quiet machine. */
export function natsServerProcess(): ProcessGroups {
  const pid = listeningPid(Number(new URL(process.env.NATS_URL!.split(',')[0]).port || 4222));
  return pid === undefined ? {} : { 'nats-server': [pid] };
}

/** A running system's processes (each service's replicas together), its database's backends and the NATS server. */
export async function systemProcesses(system: RunningSystem): Promise<ProcessGroups> {
  return {
    ...Object.fromEntries(SYSTEM_PROCESSES.map((name) => [name, system.pids(name)])),
    postgres: await databaseBackends(system.databaseUrl),
    ...natsServerProcess(),
  };
}

interface Usage {
  cpuMs: number;
  writes: number;
}

const usageOf = (pid: number): Usage => ({ cpuMs: cpuTimeMs(pid), writes: writeCalls(pid) });

/** CPU ms and write system calls of every process of the machine now, by pid. */
function everyProcessUsage(): Map<number, Usage> {
  const pids = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number);
  return new Map(pids.map((pid) => [pid, usageOf(pid)]));
}

/**
 * CPU ms each group spent while `run` ran, and the write system calls it made; `load client` is
 * this process (it signs and sends). The groups are asked for after the run, so that a connection
 * a pool opened during it counts (from its start: every process is read before). Given the
 * system's database, also the CPU ms of its backends by the group whose session each served
 * (backendsByClient), without `postgres for`.
 */
export async function measureCpu<T>(
  groupsAfter: () => Promise<ProcessGroups>,
  run: () => Promise<T>,
  databaseUrl?: string,
): Promise<{
  result: T;
  cpuMs: Record<string, number>;
  writes: Record<string, number>;
  postgresByClient?: Record<string, number>;
}> {
  const before = everyProcessUsage();
  const ownBefore = process.cpuUsage();
  const ownWritesBefore = writeCalls('self');
  const result = await run();
  const own = process.cpuUsage(ownBefore);
  const ownWrites = writeCalls('self') - ownWritesBefore;
  const groups = await groupsAfter();
  const spent = (pids: number[], of: keyof Usage) =>
    pids.reduce((total, pid) => total + usageOf(pid)[of] - (before.get(pid)?.[of] ?? 0), 0);
  const byGroup = (of: keyof Usage, among: ProcessGroups = groups) =>
    Object.fromEntries(Object.entries(among).map(([name, pids]) => [name, spent(pids, of)]));
  const backends = databaseUrl === undefined ? undefined : await backendsByClient(databaseUrl, groups);
  return {
    result,
    cpuMs: { ...byGroup('cpuMs'), 'load client': (own.user + own.system) / 1_000 },
    writes: { ...byGroup('writes'), 'load client': ownWrites },
    postgresByClient: backends && byGroup('cpuMs', backends),
  };
}

interface PathCost {
  path: string;
  requests: number;
  cpuMs: Record<string, number>;
  writes: Record<string, number>;
  /** The CPU ms of PostgreSQL's backends (part of cpuMs' `postgres`) by the process group each served (backendsByClient). */
  postgresByClient?: Record<string, number>;
  /** PostgreSQL's WAL flushes and bytes during the path's load, when read (walActivity). */
  wal?: WalActivity;
}

/**
 * Two tables, a line per measured path: requests, then per request of each process group and in
 * all, the CPU (µs), then the write system calls.
 */
export function formatCpuCosts(costs: PathCost[]): string {
  const table = (
    title: string,
    of: (cost: PathCost) => Record<string, number>,
    perRequest: (value: number) => string,
  ) => {
    const groups = [...new Set(costs.flatMap((cost) => Object.keys(of(cost))))];
    const body = costs.map((cost) => {
      const values = of(cost);
      const per = (value: number | undefined) =>
        value === undefined ? '' : perRequest(value / Math.max(cost.requests, 1));
      return [
        cost.path,
        String(cost.requests),
        ...groups.map((group) => per(values[group])),
        per(Object.values(values).reduce((a, b) => a + b, 0)),
      ];
    });
    return [title, ...formatTable(['path', 'requests', ...groups, 'all'], body)];
  };
  return [
    ...table(
      'CPU per request (µs), by process, over the whole load (warm-up included, every call counted):',
      (cost) => cost.cpuMs,
      (ms) => (ms * 1_000).toFixed(0),
    ),
    ...table(
      // PostgreSQL answers with send(2), which syscw does not count: its column is its WAL and file writes.
      'Write system calls per request, by process (write and writev: a message sent on a socket, unless several go together; PostgreSQL sends with send, not counted: its WAL and files only):',
      (cost) => cost.writes,
      (calls) => calls.toFixed(1),
    ),
    ...(costs.some((cost) => cost.postgresByClient)
      ? table(
          "PostgreSQL's CPU per request (µs), by the process whose session it served (part of the postgres column above):",
          (cost) => cost.postgresByClient ?? {},
          (ms) => (ms * 1_000).toFixed(0),
        )
      : []),
    ...walTable(costs),
  ].join('\n');
}

/** A line per path whose WAL was read: each flush is a commit's wait for the disk, and its bookkeeping. */
function walTable(costs: PathCost[]): string[] {
  const read = costs.filter((cost) => cost.wal !== undefined);
  if (read.length === 0) return [];
  const per = (cost: PathCost, value: number) => value / Math.max(cost.requests, 1);
  return [
    "PostgreSQL's WAL per request (pg_stat_wal, the whole server): flushes to disk, and bytes:",
    ...formatTable(
      ['path', 'requests', 'WAL flushes', 'WAL bytes'],
      read.map((cost) => [
        cost.path,
        String(cost.requests),
        per(cost, cost.wal!.flushes).toFixed(2),
        per(cost, cost.wal!.bytes).toFixed(0),
      ]),
    ),
  ];
}
