import {
  NOTHING_REPORTED,
  resourceArn,
  type InventoryEventMessage,
  type InventoryViewer,
  type ResourceInactivatedData,
  type ResourceObservedData,
} from '@lm/contracts';
import { openServiceStorageOf, type ServiceStorage } from '@lm/service-kit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InventoryDirectory } from '../src/specifications/application/inventory-directory';
import { InventoryLookup } from '../src/specifications/application/inventory-lookup';
import { applyInventoryEvent } from '../src/specifications/application/inventory-copy';
import { LicensingService } from '../src/licensing.service';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

const OWNER = '111111111111';
const viewer: InventoryViewer = { accountId: OWNER, region: 'us-east-1' };

/** Discovery as a script: the events it answers with, and the questions it was asked. */
class ScriptedDirectory implements InventoryDirectory {
  answers = new Map<string, InventoryEventMessage[]>();
  asked: { viewer: InventoryViewer; resourceArns: string[] }[] = [];
  /** Runs while discovery is being asked: what else happens meanwhile. */
  meanwhile: () => Promise<void> = async () => undefined;

  async describe(asker: InventoryViewer, resourceArns: string[]): Promise<InventoryEventMessage[]> {
    this.asked.push({ viewer: asker, resourceArns });
    await this.meanwhile();
    return resourceArns.flatMap((arn) => this.answers.get(arn) ?? []);
  }
}

let ids = 0;
const envelope = (type: string) => ({
  service: 'discovery',
  eventId: `event-${++ids}`,
  streamName: 'inventory-resource/test',
  streamVersion: ids,
  schemaVersion: 1,
  recordedAt: new Date().toISOString(),
  type,
});

function observed(resourceId: string, observedAt: string, facts: Partial<ResourceObservedData> = {}) {
  const data: ResourceObservedData = {
    accountId: OWNER,
    region: 'us-east-1',
    resourceId,
    resourceType: 'EC2_INSTANCE',
    resourceArn: resourceArn('EC2_INSTANCE', 'us-east-1', OWNER, resourceId),
    ...NOTHING_REPORTED,
    state: 'running',
    vCpuCount: 4,
    observedAt,
    ...facts,
  };
  return { ...envelope('ResourceObserved'), type: 'ResourceObserved' as const, data };
}

function inactivated(of: ResourceObservedData, inactivatedAt: string) {
  const data: ResourceInactivatedData = {
    accountId: of.accountId,
    region: of.region,
    resourceId: of.resourceId,
    resourceType: of.resourceType,
    resourceArn: of.resourceArn,
    lastObservedAt: of.observedAt,
    inactivatedAt,
  };
  return { ...envelope('ResourceInactivated'), type: 'ResourceInactivated' as const, data };
}

describe("licensing's inventory lookup (a resource it has not heard of yet is asked of discovery)", () => {
  let database: TestDatabase;
  let storage: ServiceStorage;
  let directory: ScriptedDirectory;
  let lookup: InventoryLookup;
  /** The inventory consumer's path for one relayed event: what it would act on (undefined: nothing changed). */
  const consume = (event: InventoryEventMessage) =>
    storage.db.transaction().execute((trx) => applyInventoryEvent(event, trx));

  beforeAll(async () => {
    database = await createTestDatabase('lm_inventory_lookup');
    storage = await openServiceStorageOf(LicensingService, { DATABASE_URL: database.url });
  });
  afterAll(async () => {
    await storage?.close();
    await database?.drop();
  });
  beforeEach(() => {
    directory = new ScriptedDirectory();
    lookup = new InventoryLookup(storage.db, directory);
  });

  it('records what discovery answers, and the relayed event arriving later still reaches the consumer', async () => {
    const event = observed('i-0a1', '2026-03-01T00:00:00.000Z');
    directory.answers.set(event.data.resourceArn, [event]);
    const facts = await lookup.factsOf(viewer, event.data.resourceArn);
    expect(facts).toMatchObject({ resourceArn: event.data.resourceArn, state: 'running', vCpuCount: 4, active: true });
    expect(directory.asked).toEqual([{ viewer, resourceArns: [event.data.resourceArn] }]);
    // Known now: discovery is not asked again.
    expect(await lookup.factsOf(viewer, event.data.resourceArn)).toEqual(facts);
    expect(directory.asked).toHaveLength(1);
    // The same observation relayed: applied again (the same facts), so the consumer acts on it as it would have.
    expect(await consume(event)).toEqual(facts);
  });

  it('keeps the newer observation, whichever of the answer and the relayed events comes first', async () => {
    const first = observed('i-0a2', '2026-03-01T00:00:00.000Z');
    const stopped = observed('i-0a2', '2026-03-01T00:05:00.000Z', { state: 'stopped' });
    const arn = first.data.resourceArn;
    // Discovery answers with the first observation while the stop's event is being applied.
    directory.answers.set(arn, [first]);
    directory.meanwhile = async () => {
      await consume(stopped);
    };
    expect(await lookup.factsOf(viewer, arn)).toMatchObject({ state: 'stopped' });
    // The first observation relayed late changes nothing.
    expect(await consume(first)).toBeUndefined();
    expect(await lookup.factsOf(viewer, arn)).toMatchObject({ state: 'stopped' });
    // A newer one does.
    expect(await consume(observed('i-0a2', '2026-03-01T00:10:00.000Z'))).toMatchObject({ state: 'running' });
  });

  it("keeps an instance's product codes, billing products, stop protection, image owner and Systems Manager inventory", async () => {
    const conversionFacts = {
      productCodes: [{ productCodeId: '6cd5fxzrad0cu2j23p692xytz', productCodeType: 'marketplace' as const }],
      billingProducts: ['bp-6fa54006'],
      stopProtection: true,
      imageOwner: 'self',
      ssmManaged: true,
    };
    expect(await consume(observed('i-0a5', '2026-03-01T00:00:00.000Z', conversionFacts))).toMatchObject(
      conversionFacts,
    );
    // An event recorded before they existed: none of them, as discovery reads it.
    const {
      billingProducts: _b,
      stopProtection: _s,
      imageOwner: _i,
      ssmManaged: _m,
      ...before
    } = observed('i-0a6', '2026-03-01T00:00:00.000Z').data;
    const facts = await consume({ ...observed('i-0a6', before.observedAt), data: before });
    expect(facts).toMatchObject({ billingProducts: [] });
    expect(facts).not.toHaveProperty('stopProtection');
  });

  it('knows an inactive resource as inactive', async () => {
    const last = observed('i-0a3', '2026-01-01T00:00:00.000Z');
    directory.answers.set(last.data.resourceArn, [last, inactivated(last.data, '2026-02-01T00:00:00.000Z')]);
    expect(await lookup.factsOf(viewer, last.data.resourceArn)).toMatchObject({ state: 'running', active: false });
  });

  it('records nothing of a resource discovery does not know', async () => {
    const arn = resourceArn('EC2_INSTANCE', 'us-east-1', OWNER, 'i-0a4');
    expect(await lookup.factsOf(viewer, arn)).toBeUndefined();
    expect(directory.asked).toHaveLength(1);
    expect(await lookup.factsOf(viewer, arn)).toBeUndefined();
    // Asked again: discovery may have accepted it since.
    expect(directory.asked).toHaveLength(2);
  });
});
