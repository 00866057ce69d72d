import { randomUUID } from 'node:crypto';
import type { Extensions } from '@lm/api-model';
import { NOTHING_REPORTED, resourceArn, type ResourceObservedData } from '@lm/contracts';
import { connect, JSONCodec } from 'nats';
import { connectedClient } from './test-database';
import { rawRequest } from './clients';
import { accounts, type RunningSystem } from './system';

type Identity = 'accountId' | 'resourceId' | 'resourceType' | 'state';

/**
 * A resource as the discovery service's ResourceObserved event describes it (@lm/contracts): its
 * identity and state, and whichever attributes a test cares about (the rest are never reported).
 */
export type ObservedResource = Pick<ResourceObservedData, Identity> &
  Partial<Omit<ResourceObservedData, Identity | 'resourceArn' | 'observedAt' | 'previousState' | 'applications'>> & {
    applications?: { name: string; version?: string | null; publisher?: string | null }[];
  };

export const resourceArnOf = (r: ObservedResource) =>
  resourceArn(r.resourceType, r.region ?? 'us-east-1', r.accountId, r.resourceId);

let lastObservation = 0;

/** Strictly increasing observation times, so that each observation can be waited for on its own. */
function nextObservationTime(): string {
  lastObservation = Math.max(Date.now(), lastObservation + 1);
  return new Date(lastObservation).toISOString();
}

/** The development account with that id: the one that reports its resources. */
function reporterOf(accountId: string) {
  const reporter = Object.values(accounts).find((account) => account.accountId === accountId);
  if (!reporter) throw new Error(`${accountId} is not a development account`);
  return reporter;
}

const present = <T>(value: T | null | undefined): T | undefined => value ?? undefined;

/** A reported resource as JSON carries it: the model's ObservedAt is an ISO 8601 timestamp. */
type ReportedJson = Omit<Extensions.ReportedResource, 'ObservedAt'> & { ObservedAt: string };

/** The resource as ReportResources takes it, observed at `observedAt`. */
function toReported(r: ObservedResource, observedAt: string): ReportedJson {
  return {
    ResourceId: r.resourceId,
    ResourceType: r.resourceType,
    State: r.state,
    Region: present(r.region),
    ObservedAt: observedAt,
    Platform: present(r.platform),
    PlatformVersion: present(r.platformVersion),
    UsageOperation: present(r.usageOperation),
    InstanceType: present(r.instanceType),
    VCpuCount: present(r.vCpuCount),
    CoreCount: present(r.coreCount),
    SocketCount: present(r.socketCount),
    ThreadsPerCore: present(r.threadsPerCore),
    Tenancy: present(r.tenancy),
    HostId: present(r.hostId),
    AmiId: present(r.amiId),
    LicenseIncluded: r.licenseIncluded,
    Tags: r.tags && Object.entries(r.tags).map(([Key, Value]) => ({ Key, Value })),
    Applications: r.applications?.map((a) => ({
      Name: a.name,
      Version: present(a.version),
      Publisher: present(a.publisher),
    })),
    SubnetId: present(r.subnetId),
    ProductCodes: r.productCodes?.map((code) => ({
      ProductCodeId: code.productCodeId,
      ProductCodeType: present(code.productCodeType),
    })),
    BillingProducts: r.billingProducts,
    StopProtection: present(r.stopProtection),
    ImageOwner: present(r.imageOwner),
    SsmManaged: present(r.ssmManaged),
  };
}

/**
 * Resources per report (ReportResources takes up to 100): small enough that a report is answered
 * well within the operation timeout of a crash test (3 s) on a busy machine.
 */
const REPORT_SIZE = 25;

/**
 * Reports resources as integrators do: `POST /inventory/ReportResources`, signed with SigV4 by the
 * account each belongs to. Returns once discovery has accepted every one (their ARNs, in order);
 * licensing learns of them as in production, from discovery's events (or by asking discovery).
 */
export async function reportResources(system: RunningSystem, resources: ObservedResource[]): Promise<string[]> {
  await report(system, resources, nextObservationTime());
  return resources.map(resourceArnOf);
}

/** Sends the reports of reportResources, each resource observed at `observedAt`. */
async function report(system: RunningSystem, resources: ObservedResource[], observedAt: string): Promise<void> {
  const byAccount = new Map<string, ObservedResource[]>();
  for (const r of resources) byAccount.set(r.accountId, [...(byAccount.get(r.accountId) ?? []), r]);
  const reports = [...byAccount].flatMap(([accountId, own]) =>
    Array.from({ length: Math.ceil(own.length / REPORT_SIZE) }, (_, i) => ({
      account: reporterOf(accountId),
      resources: own.slice(i * REPORT_SIZE, (i + 1) * REPORT_SIZE),
    })),
  );
  // One report after the other, as one integrator sends them (and no report waits behind the others).
  for (const { account, resources: batch } of reports) {
    const response = await rawRequest(system, {
      account,
      path: '/inventory/ReportResources',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Resources: batch.map((r) => toReported(r, observedAt)) }),
    });
    if (response.status !== 200 || response.json.Accepted !== batch.length)
      throw new Error(`ReportResources answered ${response.status}: ${response.text}`);
  }
}

/**
 * Reports resources (reportResources), then waits until licensing has acted on discovery's events
 * of the report: what a test needs before it looks at what licensing does by itself when the
 * inventory changes (releasing on stop, automated discovery). Each report must change the
 * resources (discovery records no event for an unchanged one).
 */
export async function reportAndAwaitLicensing(system: RunningSystem, resources: ObservedResource[]): Promise<string[]> {
  const observedAt = nextObservationTime();
  await report(system, resources, observedAt);
  const arns = resources.map(resourceArnOf);
  await waitForResources(system, arns, observedAt);
  return arns;
}

/**
 * Publishes hand-made ResourceObserved events as the discovery service does, for tests of
 * licensing's inventory consumer itself (ordering, redelivery), and waits until licensing has
 * applied them. Every other test reports through the API (reportResources).
 */
export async function observeResources(system: RunningSystem, resources: ObservedResource[]): Promise<string[]> {
  const observedAt = nextObservationTime();
  await publishObservations(system, resources, observedAt);
  const arns = resources.map(resourceArnOf);
  await waitForResources(system, arns, observedAt);
  return arns;
}

/** Publishes ResourceObserved events as observeResources does, at a given observation time, and does not wait. */
export async function publishObservations(
  system: RunningSystem,
  resources: ObservedResource[],
  observedAt: string,
): Promise<void> {
  const nc = await connect({ servers: process.env.NATS_URL });
  const codec = JSONCodec();
  const arns = resources.map(resourceArnOf);
  try {
    const js = nc.jetstream();
    await Promise.all(
      resources.map((r, i) =>
        js.publish(
          `lm.${system.natsNamespace}.events.discovery.ResourceObserved`,
          codec.encode({
            service: 'discovery',
            eventId: randomUUID(),
            streamName: `test-resource-${arns[i]}`,
            streamVersion: Date.now() * 1000 + i,
            type: 'ResourceObserved',
            recordedAt: observedAt,
            data: {
              region: 'us-east-1',
              ...NOTHING_REPORTED,
              ...r,
              resourceArn: arns[i],
              observedAt,
            },
          }),
        ),
      ),
    );
  } finally {
    await nc.close();
  }
}

/** Until licensing has applied these observations (its copy carries their observation time, or a later one). */
async function waitForResources(system: RunningSystem, arns: string[], observedAt: string): Promise<void> {
  const db = await connectedClient(system.databaseUrl);
  try {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const { rows } = await db.query(
        'select resource_arn from licensing.resources where resource_arn = any($1) and observed_at >= $2',
        [arns, observedAt],
      );
      const seen = new Set(rows.map((row: { resource_arn: string }) => row.resource_arn));
      if (arns.every((arn) => seen.has(arn))) return;
      if (Date.now() > deadline)
        throw new Error(`licensing did not see ${arns.length - seen.size} of ${arns.length} resources`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await db.end();
  }
}

/**
 * Which of `arns` licensing's copy of the inventory holds (its durable consumer writes it), read
 * from the database at `databaseUrl`: the system's, or licensing's own (LICENSING_DATABASE_URL).
 */
export async function heldByLicensing(databaseUrl: string, arns: string[]): Promise<string[]> {
  const db = await connectedClient(databaseUrl);
  try {
    const { rows } = await db.query('select resource_arn from licensing.resources where resource_arn = any($1)', [
      arns,
    ]);
    return arns.filter((arn) => rows.some((row: { resource_arn: string }) => row.resource_arn === arn));
  } finally {
    await db.end();
  }
}

/**
 * A maker of running EC2 instances of `accountId` with the vCPUs asked for (two threads per
 * core), each with an id of its own: `fill` pads the ids, so that each suite's stay apart.
 */
export function instanceMaker(accountId: string, fill: string): (vCpuCount: number) => ObservedResource {
  let counter = 0;
  return (vCpuCount) => ({
    accountId,
    resourceId: `i-${(++counter).toString(16).padStart(17, fill)}`,
    resourceType: 'EC2_INSTANCE',
    state: 'running',
    vCpuCount,
    coreCount: vCpuCount / 2,
    threadsPerCore: 2,
    tenancy: 'default',
  });
}
