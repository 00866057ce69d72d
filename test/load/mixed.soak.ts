import { readFileSync } from 'node:fs';
import { BUILT_SERVICES, resourceArn } from '@lm/contracts';
import { connect } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inventoryResourcesProjection } from '../../services/discovery/src/application/inventory-resource.projection';
import { licenseConsumptionsProjection } from '../../services/grants/src/consumption/application/license-consumption.projection';
import { licenseUsageEpochsProjection } from '../../services/grants/src/consumption/application/license-usage-epoch.projection';
import { licenseConfigurationAssociationsProjection } from '../../services/licensing/src/configurations/application/license-configuration-associations.projection';
import { licenseConfigurationsProjection } from '../../services/licensing/src/configurations/application/license-configuration.projection';
import { untilConsumersCaughtUp } from '../support/consumer-backlog';
import { startSystem, type ProcessName, type RunningSystem } from '../support/system';
import { expectViewsEqualRebuild } from '../support/view-rebuild';
import { generateAccounts, writeCredentialsFile, type CredentialsFile } from './load-accounts';
import { expectOk, expectSane } from './load-checks';
import { runLoad } from './measure';
import { formatTable, percent } from './table';
import { heapUsedAfterGc, inspectorNodeArgs, inspectorUrlOf } from './heap-after-gc';
import { heapSnapshotNodeArgs, writeHeapSnapshots } from './heap-snapshots';
import { clientsOf, createLoadAgent, SignedHttpClient } from './signed-http-client';
import {
  alternatingCheckouts,
  authorizeLaunch,
  createConfiguration,
  createSeatLicence,
  getConfiguration,
  instanceId,
  type CheckoutProduct,
} from './workloads';

/**
 * Issue 14's steady memory: a mixed load at 16 clients for LM_SOAK_MINUTES (10 unless told). Each
 * process's RSS is read after the warm-up (a minute, or a tenth of a shorter run) and at the end;
 * none may have grown by more than 20% in between. Beside it the soak prints each process's heap in
 * use after a full GC (through its inspector), which RSS does not separate from garbage and from
 * memory kept after use; LM_SOAK_HEAP_DIR has every process write a heap snapshot there at both
 * points too (they count in the RSS at the end). At the end the views the load wrote must equal a
 * rebuild from the event store. The data stays the same size: each client deletes its oldest
 * configuration and terminates its oldest instances (reported to the inventory) as it makes new ones.
 */
const MINUTES = Number(process.env.LM_SOAK_MINUTES ?? 10);
const RUN_MS = MINUTES * 60_000;
const WARMUP_MS = Math.min(60_000, RUN_MS / 10);
const CLIENTS = 16;
const MAX_GROWTH = 0.2;
/** Ten minutes create thousands of configurations per account; the default quota is 25. */
const QUOTA_FOR_THE_RUN = '1000000';
/**
 * What each client keeps at most, as a real fleet does: the oldest configuration is deleted and the
 * oldest instance terminated as new ones come, so the data stays the same size and what the RSS
 * measures is the processes, not a fleet that only grows.
 */
const KEPT_CONFIGURATIONS = 20;
const KEPT_INSTANCES = 40;
/** Far more seats than clients, and more admissions than ten minutes can make. */
const SEATS = 1_000;
const LICENCES = 100_000_000;
/** Starting eight processes takes minutes on a machine busy with other work. */
const START_TIMEOUT_MS = 240_000;
const MB = 1024 * 1024;
/** Where every process writes a heap snapshot after the warm-up and at the end, if set. */
const HEAP_DIR = process.env.LM_SOAK_HEAP_DIR;

/** A process's resident set size, in bytes (VmRSS of /proc/<pid>/status, in kB). */
function rssOf(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/** Every process of the system's id, by `<name>#<replica>`. */
function pidsOfSystem(system: RunningSystem): Map<string, number> {
  const names: ProcessName[] = ['gateway', ...(BUILT_SERVICES as ProcessName[])];
  return new Map(
    names.flatMap((name) => system.pids(name).map((pid, replica) => [`${name}#${replica}`, pid] as const)),
  );
}

/** The RSS of every process of the system, by `<name>#<replica>`. */
function rssOfSystem(system: RunningSystem): Map<string, number> {
  return new Map([...pidsOfSystem(system)].map(([process, pid]) => [process, rssOf(pid)]));
}

/** RSS and heap after GC of every process, after the warm-up and at the end. */
function formatMemory(rss: Sampled, heap: Sampled): string {
  const columns = (sampled: Sampled, process: string) => {
    const before = sampled.start.get(process)!;
    const after = sampled.end.get(process)!;
    return [(before / MB).toFixed(1), (after / MB).toFixed(1), percent(after / before - 1)];
  };
  const body = [...rss.start.keys()].map((process) => [process, ...columns(rss, process), ...columns(heap, process)]);
  const header = ['process', 'RSS MB', 'at end', 'growth', 'heap after GC MB', 'at end', 'growth'];
  return formatTable(header, body).join('\n');
}

/** A figure of every process after the warm-up and at the end. */
interface Sampled {
  start: Map<string, number>;
  end: Map<string, number>;
}

describe(`steady memory under a ${MINUTES}-minute mixed load`, () => {
  /** Simulated client i signs as account i. */
  const accounts = generateAccounts(CLIENTS);
  const agent = createLoadAgent();
  let credentialsFile: CredentialsFile;
  let system: RunningSystem;
  /** Each process's inspector, by `<name>#<replica>`. */
  let inspectors: Map<string, string>;
  const heapOfSystem = async () =>
    new Map(
      await Promise.all([...inspectors].map(async ([process, url]) => [process, await heapUsedAfterGc(url)] as const)),
    );
  let clients: SignedHttpClient[];
  let product: CheckoutProduct;
  /** Per client: the configurations it created (what its Gets read), one it associates instances with, one it admits launches to. */
  let created: string[][];
  let associatedTo: string[];
  let launchedTo: string[];

  beforeAll(async () => {
    credentialsFile = await writeCredentialsFile(accounts);
    system = await startSystem(
      { LM_CREDENTIALS_FILE: credentialsFile.path, LM_QUOTA_LICENSE_CONFIGURATIONS: QUOTA_FOR_THE_RUN },
      {
        startTimeoutMs: START_TIMEOUT_MS,
        nodeArgs: [...inspectorNodeArgs, ...(HEAP_DIR ? heapSnapshotNodeArgs(HEAP_DIR) : [])],
      },
    );
    // Now, while each process's first lines are still in its recent output.
    inspectors = new Map(
      [...pidsOfSystem(system).keys()].map((process) => {
        const [name, replica] = process.split('#');
        return [process, inspectorUrlOf(system.logs(name as ProcessName, Number(replica)))];
      }),
    );
    clients = clientsOf(system, accounts, agent);
    product = await createSeatLicence(clients[0], system.region, SEATS);
    const vCpus = (client: SignedHttpClient, name: string) =>
      createConfiguration(client, { Name: name, LicenseCountingType: 'vCPU', LicenseCount: 100 });
    created = await Promise.all(clients.map(async (client) => [await vCpus(client, 'soak-first')]));
    associatedTo = await Promise.all(clients.map((client) => vCpus(client, 'soak-associations')));
    launchedTo = await Promise.all(
      clients.map((client) =>
        createConfiguration(client, {
          Name: 'soak-launches',
          LicenseCountingType: 'Instance',
          LicenseCount: LICENCES,
          LicenseCountHardLimit: true,
        }),
      ),
    );
  });

  afterAll(async () => {
    agent.destroy();
    await system?.stop();
    await credentialsFile?.remove();
  });

  it('keeps every process within 20% of its RSS after warm-up, and the views equal a rebuild from the events', async () => {
    const checkouts = alternatingCheckouts(clients[0], product);
    let reported = 0;
    let launched = 0;
    let configurations = 0;
    /** Per client, its instances still running (associated, or admitted at launch), oldest first. */
    const running = clients.map(() => [] as string[]);
    /** Reports the client's new instance running, and its oldest terminated once it has more than KEPT_INSTANCES. */
    const reportRunning = async (client: number, id: string) => {
      running[client].push(id);
      const gone = running[client].length > KEPT_INSTANCES ? running[client].shift() : undefined;
      const observed = (ResourceId: string, State: string) => ({
        ResourceId,
        ResourceType: 'EC2_INSTANCE',
        State,
        VCpuCount: 2,
        ObservedAt: new Date().toISOString(),
      });
      expectOk(
        await clients[client].callRest('/inventory/ReportResources', {
          Resources: [observed(id, 'running'), ...(gone ? [observed(gone, 'terminated')] : [])],
        }),
      );
    };
    const steps = [
      // CreateLicenseConfiguration, each client in its own account, and the deletion of its oldest.
      async (client: number) => {
        const arn = await createConfiguration(clients[client], {
          Name: `soak-${client}-${configurations++}`,
          LicenseCountingType: 'vCPU',
          LicenseCount: 100,
        });
        created[client].push(arn);
        if (created[client].length > KEPT_CONFIGURATIONS)
          expectOk(
            await clients[client].call('DeleteLicenseConfiguration', {
              LicenseConfigurationArn: created[client].shift(),
            }),
          );
      },
      (client: number) =>
        getConfiguration(clients[client], created[client][Math.floor(Math.random() * created[client].length)]),
      // An integrator's report of a new instance, then its association (licensing learns of it from discovery).
      async (client: number) => {
        const id = `i-a${(reported++).toString(16).padStart(16, '0')}`;
        const { accountId } = accounts[client];
        await reportRunning(client, id);
        expectOk(
          await clients[client].call('UpdateLicenseSpecificationsForResource', {
            ResourceArn: resourceArn('EC2_INSTANCE', system.region, accountId, id),
            AddLicenseSpecifications: [{ LicenseConfigurationArn: associatedTo[client] }],
          }),
        );
      },
      // A checkout, or the check-in of the client's last one.
      checkouts.next,
      // A launch admitted, then the instance reported running by the integrator.
      async (client: number) => {
        const id = instanceId(launched++);
        expectOk(await authorizeLaunch(clients[client], launchedTo[client], id));
        await reportRunning(client, id);
      },
    ];
    const stepOf = new Array<number>(CLIENTS).fill(0);

    let start = new Map<string, number>();
    let heapAfterWarmUp: Promise<Map<string, number>> | undefined;
    let startSnapshots: Promise<unknown> = Promise.resolve();
    const sampleAfterWarmUp = setTimeout(() => {
      start = rssOfSystem(system);
      // Taken after the RSS: a snapshot, and V8's work for it, would count in the RSS.
      heapAfterWarmUp = heapOfSystem();
      if (HEAP_DIR) startSnapshots = heapAfterWarmUp.then(() => writeHeapSnapshots(HEAP_DIR, pidsOfSystem(system)));
    }, WARMUP_MS);
    const load = await runLoad((client) => steps[stepOf[client]++ % steps.length](client), {
      clients: CLIENTS,
      warmupMs: WARMUP_MS,
      durationMs: RUN_MS - WARMUP_MS,
    }).finally(() => clearTimeout(sampleAfterWarmUp));
    const end = rssOfSystem(system);
    const heapAtEnd = await heapOfSystem();
    await startSnapshots;
    if (HEAP_DIR) console.log(await writeHeapSnapshots(HEAP_DIR, pidsOfSystem(system)));
    await checkouts.settle();

    console.log(
      [
        `Soak: ${MINUTES} min of mixed load at ${CLIENTS} clients (create, get, report + associate, checkout/check-in, AuthorizeLaunch)`,
        `${load.requests} steps after warm-up (${load.throughput.toFixed(0)}/s, p50 ${load.p50Ms.toFixed(1)} ms, p99 ${load.p99Ms.toFixed(1)} ms), ${load.errors} errors`,
        `Memory after the warm-up (${(WARMUP_MS / 1000).toFixed(0)} s) and at the end (RSS, and V8's heap in use after a full GC):`,
        formatMemory({ start, end }, { start: await heapAfterWarmUp!, end: heapAtEnd }),
      ].join('\n'),
    );
    expectSane(load);
    expect([...start.keys()]).toEqual([...end.keys()]);
    // Soft: every process's growth is reported, and the views are checked even when one grew too much.
    for (const [process, before] of start) {
      expect.soft(end.get(process)! / before - 1, `${process} RSS growth`).toBeLessThanOrEqual(MAX_GROWTH);
    }

    // The rebuild compares with views that nothing writes any more: the inventory's terminations reach
    // licensing through its consumer, whose backlog a loaded machine leaves behind the load.
    const nc = await connect({ servers: process.env.NATS_URL });
    try {
      await untilConsumersCaughtUp(await nc.jetstreamManager(), system, 300_000);
    } finally {
      await nc.close();
    }
    await expectViewsEqualRebuild(system.databaseUrl, {
      schema: 'licensing',
      projections: [licenseConfigurationsProjection, licenseConfigurationAssociationsProjection],
      tables: ['license_configurations', 'license_configuration_associations', 'license_operation_failures'],
    });
    await expectViewsEqualRebuild(system.databaseUrl, {
      schema: 'grants',
      projections: [licenseConsumptionsProjection, licenseUsageEpochsProjection],
      tables: ['license_consumptions', 'license_usage_epochs'],
    });
    await expectViewsEqualRebuild(system.databaseUrl, {
      schema: 'discovery',
      projections: [inventoryResourcesProjection],
      tables: ['inventory_resources'],
    });
  });
});
