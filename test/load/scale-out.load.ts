import { afterAll, describe, expect, it } from 'vitest';
import { startSystem } from '../support/system';
import { formatCpuCosts, measureCpu, systemProcesses } from './cpu-cost';
import { generateAccounts, writeCredentialsFile } from './load-accounts';
import { expectSane } from './load-checks';
import { runLoad, type LoadResult } from './measure';
import { analyzeTables } from './planner-statistics';
import { formatTable, percent } from './table';
import { clientsOf, createLoadAgent } from './signed-http-client';
import { alternatingCheckouts, createConfiguration, createSeatLicence, getConfiguration } from './workloads';

/**
 * Issue 14's scale-out: the same workloads against a system of one process each of licensing and
 * grants, then (not at the same time: they would share the machine) against one of two each,
 * which share their service's durable consumers and, routed by the gateway, its accounts (each
 * account's requests to one replica: services/gateway/src/routing). A 2-core machine cannot show
 * much gain; the figures must not fall.
 */
const CLIENT_COUNTS = [16, 64];
const REPLICA_COUNTS = [1, 2];
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

const OPERATIONS = [
  'CreateLicenseConfiguration (spread over accounts)',
  'GetLicenseConfiguration',
  'CheckoutLicense + CheckInLicense',
] as const;
type Operation = (typeof OPERATIONS)[number];

/** What a window cost each process group (a service's replicas summed), for formatCpuCosts. */
type WindowCost = Parameters<typeof formatCpuCosts>[0][number];

interface ScaleOutRow {
  operation: Operation;
  clients: number;
  /** By the number of replicas of licensing and of grants. */
  results: Map<number, LoadResult>;
}

function formatReport(rows: ScaleOutRow[]): string {
  const header = [
    'operation',
    'clients',
    ...REPLICA_COUNTS.flatMap((n) => [`req/s ×${n}`, `p50 ×${n}`, `p99 ×${n}`]),
    'gain',
  ];
  const body = rows.map((row) => {
    const [one, two] = REPLICA_COUNTS.map((n) => row.results.get(n));
    const gain = one?.throughput && two ? percent(two.throughput / one.throughput - 1) : '-';
    return [
      row.operation,
      String(row.clients),
      ...[one, two].flatMap((r) =>
        r ? [r.throughput.toFixed(0), r.p50Ms.toFixed(1), r.p99Ms.toFixed(1)] : ['-', '-', '-'],
      ),
      gain,
    ];
  });
  return [
    'Scale-out: licensing and grants with 1 and with 2 replicas each (tenant routing), one system after the other',
    '(×n: n replicas; p50 and p99 in ms; gain: req/s with 2 replicas over req/s with 1)',
    '',
    ...formatTable(header, body),
  ].join('\n');
}

describe('scale-out: two replicas of licensing and of grants', () => {
  /** Simulated client i signs as account i, as a fleet of accounts would. */
  const accounts = generateAccounts(Math.max(...CLIENT_COUNTS));
  const agent = createLoadAgent();
  const rows = new Map<string, ScaleOutRow>();
  /**
   * CPU and write system calls per request of every window: on two cores throughput is the cores
   * over what a request costs all processes, so these say why a figure falls with two replicas.
   */
  const costs: WindowCost[] = [];

  const record = (operation: Operation, clients: number, replicas: number, result: LoadResult) => {
    const key = `${operation}@${clients}`;
    const row = rows.get(key) ?? { operation, clients, results: new Map() };
    row.results.set(replicas, result);
    rows.set(key, row);
    expectSane(result);
  };

  afterAll(() => {
    if (rows.size > 0) console.log(formatReport([...rows.values()]));
    if (costs.length > 0) console.log(formatCpuCosts(costs));
    agent.destroy();
  });

  it.each(REPLICA_COUNTS)('measures the workloads with %i replica(s) of licensing and of grants', async (replicas) => {
    const credentialsFile = await writeCredentialsFile(accounts);
    const system = await startSystem(
      { LM_CREDENTIALS_FILE: credentialsFile.path, LM_QUOTA_LICENSE_CONFIGURATIONS: QUOTA_FOR_THE_RUN },
      { replicas: { licensing: replicas, grants: replicas }, startTimeoutMs: START_TIMEOUT_MS },
    );
    const measured = async (operation: Operation, clients: number, load: () => Promise<LoadResult>) => {
      const { result, cpuMs, writes } = await measureCpu(() => systemProcesses(system), load);
      costs.push({ path: `${operation} @${clients} ×${replicas}`, requests: result.completed, cpuMs, writes });
      record(operation, clients, replicas, result);
    };
    try {
      expect(system.pids('licensing')).toHaveLength(replicas);
      expect(system.pids('grants')).toHaveLength(replicas);
      const clients = clientsOf(system, accounts, agent);
      const product = await createSeatLicence(clients[0], system.region, SEATS);
      /** The configurations each account created, which its Gets read. */
      const arns: string[][] = accounts.map(() => []);
      const createIn = async (account: number, name: string) => {
        const arn = await createConfiguration(clients[account], {
          Name: name,
          LicenseCountingType: 'vCPU',
          LicenseCount: 100,
        });
        arns[account].push(arn);
      };
      const getOwn = (account: number) =>
        getConfiguration(clients[account], arns[account][Math.floor(Math.random() * arns[account].length)]);

      // Each system's first requests (connections, JIT, prepared statements, every replica's code cache) before
      // any window, alike for both: unwarmed, the first window of each path paid for them, twice with two replicas.
      await Promise.all(accounts.map((_, account) => createIn(account, `scale-${replicas}-warm-up`)));
      const warmUp = alternatingCheckouts(clients[0], product);
      const paths = [(client: number) => createIn(client, `scale-${replicas}-warm-up`), getOwn, warmUp.next];
      const stepOf = accounts.map(() => 0);
      const step = (client: number) => paths[stepOf[client]++ % paths.length](client);
      expectSane(await runLoad(step, { clients: Math.max(...CLIENT_COUNTS), warmupMs: 0, durationMs: WARM_UP_MS }));
      await warmUp.settle();
      await analyzeTables(system.databaseUrl);

      for (const count of CLIENT_COUNTS) {
        await measured(OPERATIONS[0], count, () =>
          runLoad((client) => createIn(client, `scale-${replicas}-${count}-${client}`), { clients: count }),
        );
        // Every client created in its own account above, so each has configurations to read.
        await measured(OPERATIONS[1], count, () => runLoad(getOwn, { clients: count }));
        const checkouts = alternatingCheckouts(clients[0], product);
        await measured(OPERATIONS[2], count, () => runLoad(checkouts.next, { clients: count }));
        await checkouts.settle();
      }
    } finally {
      await system.stop();
      await credentialsFile.remove();
    }
  });
});
