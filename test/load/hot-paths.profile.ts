import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startSystem, type RunningSystem } from '../support/system';
import {
  databaseBackends,
  formatCpuCosts,
  measureCpu,
  natsServerProcess,
  PG_STATS_SETTLE_MS,
  SYSTEM_PROCESSES,
  systemProcesses,
  walActivity,
  type ProcessGroups,
} from './cpu-cost';
import {
  formatProfileSummary,
  monotonicNowUs,
  profilesOf,
  summarizeProfile,
  type MonotonicWindow,
} from './cpu-profile';
import { startFloor, type Floor } from './floor';
import { measureFloor } from './floor-comparison';
import { generateAccounts, writeCredentialsFile, type CredentialsFile } from './load-accounts';
import { expectOk, expectSane } from './load-checks';
import { runLoad } from './measure';
import { analyzeTables } from './planner-statistics';
import { clientsOf, createLoadAgent, type SignedHttpClient } from './signed-http-client';
import {
  alternatingCheckouts,
  authorizeLaunch,
  createConfiguration,
  createSeatLicence,
  getConfiguration,
  instanceId,
  type CheckoutProduct,
} from './workloads';

/** The client count of issue 14's targets. */
const CLIENTS = 16;
/**
 * How long every path runs, unmeasured, before the first is measured: past the JIT's warm-up and
 * the moment (about 10 s after a start) each process writes its bundle's V8 code cache, which
 * otherwise landed in the first path's window and made it look twice as costly (Create, measured
 * first, cost the gateway 2,052 µs a request, and 1,025 µs measured again after Get).
 */
const WARM_UP_MS = 15_000;
/**
 * LM_BENCH_REPLICAS: how many replicas of licensing and of grants to run (1 unless told), to see
 * in the profiles why the scale-out suite's figures fall with two (each replica's own profile).
 */
const REPLICAS = Number(process.env.LM_BENCH_REPLICAS ?? 1);

/**
 * Where each process spends its CPU on each hot path at 16 clients: the system and the floor run
 * under node --cpu-prof, and each path's profile is the samples taken while its load ran.
 */
describe('hot paths under the CPU profiler', () => {
  /**
   * Simulated client i creates and reads in account i, as the targets measure Create (spread over
   * accounts, as real traffic is): in one account every Create queued on its quota counter's row.
   * The first account also owns the hot configuration and the seat licence.
   */
  const accounts = generateAccounts(CLIENTS);
  const [account] = accounts;
  const agent = createLoadAgent();
  const windows: { path: string; window: MonotonicWindow; floor?: boolean }[] = [];
  /** CPU µs per request by process group, by hot path. */
  const costs: Parameters<typeof formatCpuCosts>[0] = [];
  let profileDir: string;
  let credentialsFile: CredentialsFile;
  let system: RunningSystem;
  let floor: Floor;
  let client: SignedHttpClient;
  /** One per account, for simulated client i. */
  let clients: SignedHttpClient[];
  /** The configuration every launch is admitted to, and the licence every checkout takes a seat of. */
  let hot: string;
  let product: CheckoutProduct;

  const productProcesses = () => systemProcesses(system);
  const floorProcesses = async (): Promise<ProcessGroups> => ({
    'floor gateway': [floor.pids.gateway],
    'floor responder': [floor.pids.responder],
    postgres: await databaseBackends(system.databaseUrl),
    ...natsServerProcess(),
  });

  /**
   * What `run` cost each process group, its window on the profiles' clock, and PostgreSQL's WAL
   * meanwhile (read once the backends have reported it).
   */
  const measured = async <T>(groups: () => Promise<ProcessGroups>, run: () => Promise<T>) => {
    const walBefore = await walActivity(system.databaseUrl);
    const fromUs = monotonicNowUs();
    const cost = await measureCpu(groups, run, system.databaseUrl);
    const window = { fromUs, toUs: monotonicNowUs() };
    await new Promise((resolve) => setTimeout(resolve, PG_STATS_SETTLE_MS));
    const walAfter = await walActivity(system.databaseUrl);
    const wal = { flushes: walAfter.flushes - walBefore.flushes, bytes: walAfter.bytes - walBefore.bytes };
    return { ...cost, window, wal };
  };

  const measure = async (path: string, request: (simulated: number) => Promise<unknown>) => {
    const { result, cpuMs, writes, postgresByClient, window, wal } = await measured(productProcesses, () =>
      runLoad(request, { clients: CLIENTS }),
    );
    windows.push({ path, window });
    expectSane(result);
    costs.push({ path, requests: result.completed, cpuMs, writes, postgresByClient, wal });
  };

  beforeAll(async () => {
    // LM_BENCH_PROFILE_DIR: the profiles are written there and kept, for a closer look (callers, in
    // DevTools), with windows.json: each path's window on V8's profile clock and each process's pid.
    profileDir = process.env.LM_BENCH_PROFILE_DIR ?? (await mkdtemp(join(tmpdir(), 'lm-cpu-prof-')));
    // A directory named that does not exist yet is made (the summaries read it at the end).
    await mkdir(profileDir, { recursive: true });
    // LM_BENCH_CPU_PROF=0: the CPU costs alone, without the profiler's own overhead in them.
    const profiling = process.env.LM_BENCH_CPU_PROF === '0' ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
    credentialsFile = await writeCredentialsFile(accounts);
    system = await startSystem(
      { LM_CREDENTIALS_FILE: credentialsFile.path, LM_QUOTA_LICENSE_CONFIGURATIONS: '1000000' },
      { nodeArgs: profiling, startTimeoutMs: 180_000, replicas: { licensing: REPLICAS, grants: REPLICAS } },
    );
    floor = await startFloor(system.databaseUrl, profiling);
    clients = clientsOf(system, accounts, agent);
    [client] = clients;
    hot = await createConfiguration(client, {
      Name: 'hot',
      LicenseCountingType: 'Instance',
      LicenseCount: 10_000_000,
      LicenseCountHardLimit: true,
    });
    product = await createSeatLicence(client, system.region, 1_000);
    await warmUp();
    await analyzeTables(system.databaseUrl);
  }, 300_000);

  /** Every path in turn, unmeasured, for WARM_UP_MS. */
  async function warmUp() {
    const warm: string[][] = clients.map(() => []);
    const checkouts = alternatingCheckouts(client, product);
    let n = 0;
    const paths = [
      async (simulated: number) =>
        warm[simulated].push(
          await createConfiguration(clients[simulated], {
            Name: `w-${n}`,
            LicenseCountingType: 'vCPU',
            LicenseCount: 1,
          }),
        ),
      async (simulated: number) => getConfiguration(clients[simulated], warm[simulated][n % warm[simulated].length]),
      async () => expectOk(await authorizeLaunch(client, hot, instanceId(1_000_000_000 + n))),
      checkouts.next,
    ];
    const stepOf = new Array<number>(CLIENTS).fill(0);
    const step = async (simulated: number) => {
      n += 1;
      await paths[stepOf[simulated]++ % paths.length](simulated);
    };
    expectSane(await runLoad(step, { clients: CLIENTS, warmupMs: 0, durationMs: WARM_UP_MS }));
    await checkouts.settle();
  }

  afterAll(async () => {
    agent.destroy();
    // A service's replicas by `<service>#<replica>` when it has several.
    const pids = Object.fromEntries(
      SYSTEM_PROCESSES.flatMap((name) => {
        const all = system?.pids(name) ?? [];
        return all.map((pid, replica) => [all.length > 1 ? `${name}#${replica}` : name, pid]);
      }),
    );
    await floor?.stop();
    await system?.stop();
    console.log(formatCpuCosts(costs));
    for (const { path, window, floor: isFloor } of windows) {
      const processes = isFloor
        ? { 'floor gateway': floor.pids.gateway, 'floor responder': floor.pids.responder }
        : pids;
      for (const [name, pid] of Object.entries(processes))
        for (const file of profilesOf(profileDir, pid))
          console.log(formatProfileSummary(`${path} — ${name}`, summarizeProfile(file, window)));
    }
    if (process.env.LM_BENCH_PROFILE_DIR)
      await writeFile(join(profileDir, 'windows.json'), JSON.stringify({ windows, pids }, null, 2));
    else await rm(profileDir, { recursive: true, force: true });
    await credentialsFile?.remove();
  });

  // What the system costs when nobody calls it: its background work (relays, subscriptions,
  // consumers, sweeps, metrics) takes this much of the cores from every request.
  it('profiles the idle system', async () => {
    const idleMs = 5_000;
    const fromUs = monotonicNowUs();
    const { cpuMs } = await measureCpu(productProcesses, () => new Promise((resolve) => setTimeout(resolve, idleMs)));
    windows.push({ path: 'idle', window: { fromUs, toUs: monotonicNowUs() } });
    console.log(
      `CPU of the idle system, ms per second: ${Object.entries(cpuMs)
        .map(([name, ms]) => `${name} ${((ms * 1_000) / idleMs).toFixed(0)}`)
        .join(', ')}`,
    );
  });

  it('profiles Create and Get of license configurations', async () => {
    const arns: string[][] = clients.map(() => []);
    let created = 0;
    await measure('CreateLicenseConfiguration', async (simulated) =>
      arns[simulated].push(
        await createConfiguration(clients[simulated], {
          Name: `p-${created++}`,
          LicenseCountingType: 'vCPU',
          LicenseCount: 100,
        }),
      ),
    );
    await measure('GetLicenseConfiguration', (simulated) =>
      getConfiguration(clients[simulated], arns[simulated][created++ % arns[simulated].length]),
    );
  });

  it('profiles AuthorizeLaunch on one hot configuration', async () => {
    let launched = 0;
    await measure('AuthorizeLaunch', async () => expectOk(await authorizeLaunch(client, hot, instanceId(launched++))));
  });

  it('profiles CheckoutLicense and CheckInLicense on one licence', async () => {
    const checkouts = alternatingCheckouts(client, product);
    await measure('CheckoutLicense + CheckInLicense', checkouts.next);
    await checkouts.settle();
  });

  it('profiles the floor', async () => {
    const { result, cpuMs, writes, postgresByClient, window, wal } = await measured(floorProcesses, () =>
      measureFloor(floor, CLIENTS, account.accessKeys[0], agent),
    );
    windows.push({ path: 'floor INSERT then SELECT', window, floor: true });
    const requests = result.insert.completed + result.select.completed;
    costs.push({ path: 'floor INSERT then SELECT', requests, cpuMs, writes, postgresByClient, wal });
  });
});
