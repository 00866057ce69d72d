import { randomUUID } from 'node:crypto';
import { resourceArn, type ResourceObservedData } from '@lm/contracts';
import { connect, JSONCodec } from 'nats';
import { Client } from 'pg';
import type { RunningSystem } from './system';

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

/**
 * Publishes ResourceObserved events as the discovery service does, so that licensing's handling
 * of the inventory contract is tested on its own, and waits until licensing has applied them.
 */
export async function observeResources(system: RunningSystem, resources: ObservedResource[]): Promise<string[]> {
  const nc = await connect({ servers: process.env.NATS_URL });
  const codec = JSONCodec();
  const observedAt = nextObservationTime();
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
              platform: null,
              platformVersion: null,
              usageOperation: null,
              instanceType: null,
              vCpuCount: null,
              coreCount: null,
              socketCount: null,
              threadsPerCore: null,
              tenancy: null,
              hostId: null,
              amiId: null,
              licenseIncluded: [],
              tags: {},
              applications: [],
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
  await waitForResources(system, arns, observedAt);
  return arns;
}

/** Until licensing has applied these observations (its copy carries their observation time). */
async function waitForResources(system: RunningSystem, arns: string[], observedAt: string): Promise<void> {
  const db = new Client({ connectionString: system.databaseUrl });
  await db.connect();
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
