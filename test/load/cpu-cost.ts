import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { Client } from 'pg';
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

/** The PostgreSQL backends connected to the database of `databaseUrl` (its pools' connections), by pid. */
export async function databaseBackends(databaseUrl: string): Promise<number[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    return rows.map((row) => row.pid);
  } finally {
    await client.end();
  }
}

/**
 * The process listening on a local TCP port (the NATS server of NATS_URL, say): the socket's inode
 * from /proc/net/tcp{,6}, then the process holding it among its file descriptors.
 */
export function listeningPid(port: number): number | undefined {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set(
    ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .slice(1)
        .map((line) => line.trim().split(/\s+/))
        // local_address is ADDR:PORT; state 0A is LISTEN; the inode is the tenth field.
        .filter((fields) => fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '0A')
        .map((fields) => `socket:[${fields[9]}]`),
    ),
  );
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (readdirSync(`/proc/${entry}/fd`).some((fd) => inodes.has(readlinkSync(`/proc/${entry}/fd/${fd}`))))
        return Number(entry);
    } catch {
      // gone, or not ours to read
    }
  }
  return undefined;
}

/** Named groups of processes (a service's replicas, the database's backends) whose CPU is summed. */
export type ProcessGroups = Record<string, number[]>;

/** CPU ms of every process of the machine now, by pid. */
function everyProcessCpu(): Map<number, number> {
  const pids = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number);
  return new Map(pids.map((pid) => [pid, cpuTimeMs(pid)]));
}

/**
 * CPU ms each group spent while `run` ran; `load client` is this process (it signs and sends).
 * The groups are asked for after the run, so that a connection a pool opened during it counts
 * (from its start: every process's CPU is read before).
 */
export async function measureCpu<T>(
  groupsAfter: () => Promise<ProcessGroups>,
  run: () => Promise<T>,
): Promise<{ result: T; cpuMs: Record<string, number> }> {
  const before = everyProcessCpu();
  const ownBefore = process.cpuUsage();
  const result = await run();
  const own = process.cpuUsage(ownBefore);
  const groups = await groupsAfter();
  const spent = (pids: number[]) => pids.reduce((total, pid) => total + cpuTimeMs(pid) - (before.get(pid) ?? 0), 0);
  const cpuMs = Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, spent(pids)]));
  return { result, cpuMs: { ...cpuMs, 'load client': (own.user + own.system) / 1_000 } };
}

/** A line per measured path: requests, then CPU µs per request of each process group and in all. */
export function formatCpuCosts(costs: { path: string; requests: number; cpuMs: Record<string, number> }[]): string {
  const groups = [...new Set(costs.flatMap(({ cpuMs }) => Object.keys(cpuMs)))];
  const perRequest = (ms: number | undefined, requests: number) =>
    ms === undefined ? '' : ((ms * 1_000) / Math.max(requests, 1)).toFixed(0);
  const body = costs.map(({ path, requests, cpuMs }) => [
    path,
    String(requests),
    ...groups.map((group) => perRequest(cpuMs[group], requests)),
    perRequest(
      Object.values(cpuMs).reduce((a, b) => a + b, 0),
      requests,
    ),
  ]);
  return [
    'CPU per request (µs), by process, over the whole load (warm-up included, every call counted):',
    ...formatTable(['path', 'requests', ...groups, 'all'], body),
  ].join('\n');
}
