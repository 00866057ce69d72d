import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scrapeMetrics, sumByReplica, sumOf } from '../support/metrics';
import { startSystem, type RunningSystem } from '../support/system';
import { formatCpuCosts, measureCpu, systemProcesses } from './cpu-cost';
import { generateAccounts, writeCredentialsFile, type CredentialsFile } from './load-accounts';
import { expectSane } from './load-checks';
import { runLoad, type LoadResult } from './measure';
import { analyzeTables } from './planner-statistics';
import { formatTable, percent } from './table';
import { clientsOf, createLoadAgent } from './signed-http-client';
import { alternatingCheckouts, createConfiguration, createSeatLicence, getConfiguration } from './workloads';

/**
 * Issue 14's scale-out: the same workloads against a system of one process each of licensing and
 * grants and against one of two each, which share their service's durable consumers and, routed
 * by the gateway, its accounts (services/gateway/src/routing). A 2-core machine cannot show much
 * gain; the figures must not fall.
 *
 * Both systems run side by side and take turns, window by window (TURNS): this machine's speed
 * wanders by a fifth over minutes, and one system measured after the other read that drift as the
 * replicas' gain or loss (the same build, the second replica idle, read −28% and +22% in two runs).
 * Each system's load runs while the other idles, alike for both. The gain is the median of the
 * four pairs' ratios: a window in which the machine stalled (a checkout window at half its
 * system's others was seen) moves one pair's, not the median.
 */
const CLIENT_COUNTS = [16, 64];
const REPLICA_COUNTS = [1, 2];
/**
 * LM_BENCH_SCALE_OUT_CONTROL=1: the system labelled ×2 runs one replica of each too, so that the
 * gains printed are what the suite reads between two identical systems (its own noise).
 */
const CONTROL = process.env.LM_BENCH_SCALE_OUT_CONTROL === '1';
/** Far more seats than clients, so that no checkout is ever refused for want of one. */
const SEATS = 1_000;
/** A 5-second window creates hundreds of configurations per account; the default quota is 25. */
const QUOTA_FOR_THE_RUN = '1000000';
/**
 * How long each system runs every path, unmeasured, before its first window: past the JIT's warm-up
 * and the moment (about 10 s after a start) each process writes its bundle's V8 code cache.
 */
const WARM_UP_MS = 15_000;
/** Starting eight processes (ten with replicas) takes minutes on a machine busy with other work. */
const START_TIMEOUT_MS = 240_000;
/**
 * Which system measures each window of a workload, in pairs of one window each. In the order of the
 * Thue-Morse sequence, a drift in time that is linear or quadratic falls on both systems alike:
 * in the order one, two, two, one, twice, identical systems (LM_BENCH_SCALE_OUT_CONTROL) read the
 * second's checkout at 64 clients 7% and 11% below the first's, the speed of a workload's windows
 * rising, then falling, over its eight windows.
 */
const TURNS = [1, 2, 2, 1, 2, 1, 1, 2];
/**
 * Each service's pool: two systems' pools side by side stay inside PostgreSQL's default 100
 * connections (as in the e2e suite of replicas); alike for both systems.
 */
const POOL_SIZE = '10';

const OPERATIONS = [
  'CreateLicenseConfiguration (spread over accounts)',
  'GetLicenseConfiguration',
  'CheckoutLicense + CheckInLicense',
] as const;
type Operation = (typeof OPERATIONS)[number];

/** What a window cost each process group (a service's replicas summed), for formatCpuCosts. */
type WindowCost = Parameters<typeof formatCpuCosts>[0][number];

/** The service whose replicas answer each workload. */
const SERVICE_OF: Record<Operation, 'licensing' | 'grants'> = {
  'CreateLicenseConfiguration (spread over accounts)': 'licensing',
  GetLicenseConfiguration: 'licensing',
  'CheckoutLicense + CheckInLicense': 'grants',
};

interface ScaleOutRow {
  operation: Operation;
  clients: number;
  /** By the number of replicas of licensing and of grants. */
  results: Map<number, LoadResult>;
  /** Each window's req/s in the order they ran (TURNS), to show how far windows of one system differ. */
  windows: { replicas: number; throughput: number }[];
  /** Of each pair of windows in TURNS, req/s with two replicas over req/s with one. */
  pairRatios: number[];
  /**
   * With two replicas: the share of the window's operations each replica answered, and how many
   * replicas the gateway had in use at its end (lm_gateway_replicas_in_use).
   */
  split?: { shares: number[]; leaseHeld: number[]; inUse: number };
}

function formatReport(rows: ScaleOutRow[]): string {
  const header = [
    'operation',
    'clients',
    ...REPLICA_COUNTS.flatMap((n) => [`req/s ×${n}`, `p50 ×${n}`, `p99 ×${n}`]),
    'gain',
    'split ×2',
    'in use',
    'windows (req/s in turn)',
  ];
  const allRatios = rows.flatMap((row) => row.pairRatios);
  const body = rows.map((row) => {
    const [one, two] = REPLICA_COUNTS.map((n) => row.results.get(n));
    const gain = row.pairRatios.length > 0 ? percent(median(row.pairRatios) - 1) : '-';
    return [
      row.operation,
      String(row.clients),
      ...[one, two].flatMap((r) =>
        r ? [r.throughput.toFixed(0), r.p50Ms.toFixed(1), r.p99Ms.toFixed(1)] : ['-', '-', '-'],
      ),
      gain,
      row.split
        ? row.split.shares
            .map((share, i) => `${Math.round(share * 100)}%${row.split!.leaseHeld[i] ? '*' : ''}`)
            .join('/')
        : '-',
      row.split ? String(row.split.inUse) : '-',
      row.windows.map(({ replicas, throughput }) => `×${replicas} ${throughput.toFixed(0)}`).join(', '),
    ];
  });
  return [
    CONTROL
      ? `Scale-out, control run: both systems with 1 replica of licensing and of grants, in turns (${TURNS.join(', ')})`
      : `Scale-out: licensing and grants with 1 and with 2 replicas each (tenant routing), both systems in turns (${TURNS.join(', ')})`,
    "(×n: n replicas; req/s, p50 and p99 (ms): the median of the system's windows; gain: the median over the",
    'pairs of windows of req/s with 2 replicas over req/s with 1, less 1; split ×2: the share of the operations each replica answered, * on the one running the event',
    "relay (the lease holder); in use: the replicas the gateway spread accounts over at the last window's end)",
    '',
    ...formatTable(header, body),
    `Over every workload and client count: gain ${percent(median(allRatios) - 1)} (the median of the ${allRatios.length} pairs' ratios)`,
  ].join('\n');
}

describe('scale-out: two replicas of licensing and of grants', () => {
  /** Simulated client i signs as account i, as a fleet of accounts would. */
  const accounts = generateAccounts(Math.max(...CLIENT_COUNTS));
  const agent = createLoadAgent();
  const rows = new Map<string, ScaleOutRow>();
  /**
   * CPU and write system calls per request of every workload on each system: on two cores throughput
   * is the cores over what a request costs all processes, so these say why a figure falls.
   */
  const costs = new Map<string, WindowCost>();
  let credentialsFile: CredentialsFile;
  const systems = new Map<number, ScaleOutSystem>();

  beforeAll(
    async () => {
      credentialsFile = await writeCredentialsFile(accounts);
      // At once, so that neither is the one started second, on the database and the stream made
      // second. Started one after the other, identical systems (CONTROL) read the second below the
      // first at 64 clients in one run (Create −7%, Get −9%), and in the run with the order reversed
      // the first above at 16 clients (+3%, +14%, +6%): two runs cannot tell the order from chance,
      // but started at once the order is no longer a difference between them.
      const started = await Promise.allSettled(REPLICA_COUNTS.map(startScaleOutSystem));
      // The one that started is stopped by afterAll when the other failed.
      started.forEach((start, i) => {
        if (start.status === 'fulfilled') systems.set(REPLICA_COUNTS[i], start.value);
      });
      const failed = started.find((start) => start.status === 'rejected');
      if (failed) throw failed.reason;
    },
    2 * (START_TIMEOUT_MS + 60_000),
  );

  afterAll(async () => {
    await Promise.all([...systems.values()].map(({ system }) => system.stop()));
    await credentialsFile?.remove();
    if (rows.size > 0) console.log(formatReport([...rows.values()]));
    if (costs.size > 0) console.log(formatCpuCosts([...costs.values()]));
    agent.destroy();
  });

  /** The system labelled ×`label`: that many replicas of licensing and of grants (one under CONTROL), warmed up, with the workloads' requests. */
  async function startScaleOutSystem(label: number) {
    const replicas = CONTROL ? 1 : label;
    const system: RunningSystem = await startSystem(
      {
        LM_CREDENTIALS_FILE: credentialsFile.path,
        LM_QUOTA_LICENSE_CONFIGURATIONS: QUOTA_FOR_THE_RUN,
        DATABASE_POOL_SIZE: POOL_SIZE,
      },
      { replicas: { licensing: replicas, grants: replicas }, startTimeoutMs: START_TIMEOUT_MS },
    );
    try {
      expect(system.pids('licensing')).toHaveLength(replicas);
      expect(system.pids('grants')).toHaveLength(replicas);
      const clients = clientsOf(system, accounts, agent);
      const product = await createSeatLicence(clients[0], system.region, SEATS);
      /** The configurations each account created, which its Gets read. */
      const arns: string[][] = accounts.map(() => []);
      let created = 0;
      const createIn = async (account: number) => {
        const arn = await createConfiguration(clients[account], {
          Name: `scale-${replicas}-${created++}`,
          LicenseCountingType: 'vCPU',
          LicenseCount: 100,
        });
        arns[account].push(arn);
      };
      const getOwn = (account: number) =>
        getConfiguration(clients[account], arns[account][Math.floor(Math.random() * arns[account].length)]);
      const checkouts = () => alternatingCheckouts(clients[0], product);

      // Each system's first requests (connections, JIT, prepared statements, every replica's code cache)
      // before any window: unwarmed, the first window of each path paid for them, twice with two replicas.
      // Every account creates one here, so that each has configurations to read.
      await Promise.all(accounts.map((_, account) => createIn(account)));
      const warmUp = checkouts();
      const paths = [createIn, getOwn, warmUp.next];
      const stepOf = accounts.map(() => 0);
      const step = (client: number) => paths[stepOf[client]++ % paths.length](client);
      expectSane(await runLoad(step, { clients: Math.max(...CLIENT_COUNTS), warmupMs: 0, durationMs: WARM_UP_MS }));
      await warmUp.settle();
      await analyzeTables(system.databaseUrl);
      const workloads: Record<Operation, () => Workload> = {
        [OPERATIONS[0]]: () => ({ next: createIn }),
        [OPERATIONS[1]]: () => ({ next: getOwn }),
        [OPERATIONS[2]]: checkouts,
      };
      return { system, workloads };
    } catch (error) {
      await system.stop();
      throw error;
    }
  }

  /** What the replicas of `service` answered so far, which held the lease, and how many were in use. */
  const answeredByReplica = async (system: RunningSystem, service: string) => {
    const scrape = await scrapeMetrics(system);
    const pids = system.pids(service);
    return {
      answered: sumByReplica(scrape, service, 'lm_service_operations_total', pids),
      leaseHeld: sumByReplica(scrape, service, 'lm_subscription_lease_held', pids),
      inUse: sumOf(scrape, 'lm_gateway_replicas_in_use', { service }),
    };
  };

  /** One window of `operation` at `clients` on one system: its result, its CPU, where it was answered. */
  async function window(operation: Operation, clients: number, { system, workloads }: ScaleOutSystem) {
    const service = SERVICE_OF[operation];
    const workload = workloads[operation]();
    const before = await answeredByReplica(system, service);
    const measured = await measureCpu(
      () => systemProcesses(system),
      () => runLoad(workload.next, { clients }),
    );
    await workload.settle?.();
    const after = await answeredByReplica(system, service);
    expectSane(measured.result);
    return { ...measured, answered: after.answered.map((count, i) => count - before.answered[i]), after };
  }

  it('measures each workload with one and with two replicas of licensing and of grants, in turns', async () => {
    for (const clients of CLIENT_COUNTS) {
      for (const operation of OPERATIONS) {
        const row: ScaleOutRow = { operation, clients, results: new Map(), windows: [], pairRatios: [] };
        const windows = new Map<number, Awaited<ReturnType<typeof window>>[]>();
        for (const replicas of TURNS) {
          const measured = await window(operation, clients, systems.get(replicas)!);
          windows.set(replicas, [...(windows.get(replicas) ?? []), measured]);
          row.windows.push({ replicas, throughput: measured.result.throughput });
        }
        row.pairRatios = pairRatios(row.windows);
        for (const [replicas, measured] of windows) {
          row.results.set(replicas, medianResult(measured.map(({ result }) => result)));
          costs.set(`${operation} @${clients} ×${replicas}`, {
            path: `${operation} @${clients} ×${replicas}`,
            requests: sum(measured.map(({ result }) => result.completed)),
            cpuMs: sumRecords(measured.map(({ cpuMs }) => cpuMs)),
            writes: sumRecords(measured.map(({ writes }) => writes)),
          });
          if (replicas === 1) continue;
          const answered = measured.map((m) => m.answered).reduce((a, b) => a.map((count, i) => count + b[i]));
          const total = sum(answered);
          const { leaseHeld, inUse } = measured.at(-1)!.after;
          row.split = { shares: answered.map((count) => count / Math.max(total, 1)), leaseHeld, inUse };
        }
        rows.set(`${operation}@${clients}`, row);
      }
    }
  });
});

/** A workload's requests, by simulated client, and what to undo once a window ends. */
type Workload = { next: (client: number) => Promise<unknown>; settle?: () => Promise<void> };

type ScaleOutSystem = {
  system: RunningSystem;
  workloads: Record<Operation, () => Workload>;
};

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function sumRecords(records: Record<string, number>[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const record of records)
    for (const [key, value] of Object.entries(record)) total[key] = (total[key] ?? 0) + value;
  return total;
}

/** Of each pair of consecutive windows (TURNS), the req/s of the one with two replicas over that of the one with one. */
function pairRatios(windows: ScaleOutRow['windows']): number[] {
  const ratios: number[] = [];
  for (let i = 0; i + 1 < windows.length; i += 2) {
    const pair = windows.slice(i, i + 2);
    const [one, two] = REPLICA_COUNTS.map((n) => pair.find((w) => w.replicas === n)?.throughput);
    if (one && two) ratios.push(two / one);
  }
  return ratios;
}

/** The median of the values (of an even count, the mean of the middle two). */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return Number.isInteger(middle) ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[Math.floor(middle)];
}

/** A system's windows of one workload as one: requests summed, rates and percentiles their median. */
function medianResult(results: LoadResult[]): LoadResult {
  const middle = (of: (result: LoadResult) => number) => median(results.map(of));
  return {
    clients: results[0].clients,
    requests: sum(results.map((result) => result.requests)),
    errors: sum(results.map((result) => result.errors)),
    throughput: middle((result) => result.throughput),
    p50Ms: middle((result) => result.p50Ms),
    p99Ms: middle((result) => result.p99Ms),
    perSecond: results.flatMap((result) => result.perSecond),
    completed: sum(results.map((result) => result.completed)),
    firstError: results.find((result) => result.firstError)?.firstError,
  };
}
