import type { Extensions } from '@lm/api-model';
import { resourceArn, type Caller } from '@lm/contracts';
import { openServiceStorageOf, ManualClock, type ServiceStorage } from '@lm/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InventoryDescriptions } from '../src/application/inventory-description.queries';
import { InventoryReports } from '../src/application/inventory-resource.commands';
import { InventorySweep } from '../src/application/inventory-resource.sweep';
import { InventoryScopes } from '../src/application/inventory-scope.queries';
import { DiscoveryService } from '../src/discovery.service';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

const DAY = 24 * 3600_000;
const t0 = new Date('2026-03-01T00:00:00Z');

/** The instant `days` days after t0. */
const day = (days: number) => new Date(t0.getTime() + days * DAY);

const MEMBER = '222222222222';
const member: Caller = {
  accountId: MEMBER,
  principalArn: `arn:aws:iam::${MEMBER}:root`,
  accessKeyId: 'AKIAMEMBER',
  region: 'us-east-1',
};
const arnOf = (id: string) => resourceArn('EC2_INSTANCE', 'us-east-1', MEMBER, id);
const instance = (id: string, facts: Partial<Extensions.ReportedResource> = {}): Extensions.ReportedResource => ({
  ResourceId: id,
  ResourceType: 'EC2_INSTANCE',
  State: 'running',
  VCpuCount: 4,
  ...facts,
});

describe('DescribeInventoryResources: a resource told by its own events', () => {
  let database: TestDatabase;
  let storage: ServiceStorage;
  const clock = new ManualClock(t0);
  let reports: InventoryReports;
  let sweep: InventorySweep;
  let descriptions: InventoryDescriptions;

  const report = (...resources: Extensions.ReportedResource[]) =>
    reports.report({ kind: 'caller', caller: member }, { Resources: resources });
  const describeAs = async (viewer: { accountId: string; region: string }, ...ids: string[]) =>
    (await descriptions.describe({ Viewer: viewer, ResourceArns: ids.map(arnOf) })).Events;
  /** The resource's events as the store recorded them (what the relay publishes). */
  const storedEvents = async (id: string) =>
    (await storage.store.readStream(`inventory-resource/${MEMBER}/us-east-1/EC2_INSTANCE/${id}`)).events;

  beforeAll(async () => {
    database = await createTestDatabase('lm_inventory_descriptions');
    storage = await openServiceStorageOf(DiscoveryService, { DATABASE_URL: database.url });
    reports = new InventoryReports(storage.store, clock);
    sweep = new InventorySweep(storage.db, storage.store, clock);
    descriptions = new InventoryDescriptions(storage.db, storage.store, new InventoryScopes(storage.db));
  });
  afterAll(async () => {
    await storage?.close();
    await database?.drop();
  });

  it('answers the last ResourceObserved exactly as recorded, however many refreshes follow it', async () => {
    clock.set(day(0));
    await report(instance('i-0c1'));
    clock.set(day(1));
    await report(instance('i-0c1', { VCpuCount: 8 }));
    clock.set(day(3));
    // Unchanged, two days on: a ResourceObservationRefreshed, which adds nothing a consumer keeps.
    await report(instance('i-0c1', { VCpuCount: 8 }));
    const recorded = await storedEvents('i-0c1');
    expect(recorded.map((e) => e.type)).toEqual([
      'ResourceObserved',
      'ResourceObserved',
      'ResourceObservationRefreshed',
    ]);
    const [answer] = await describeAs(member, 'i-0c1');
    expect(await describeAs(member, 'i-0c1')).toHaveLength(1);
    expect(answer).toEqual({
      service: 'discovery',
      eventId: recorded[1].eventId,
      streamName: recorded[1].streamName,
      streamVersion: 2,
      schemaVersion: 1,
      type: 'ResourceObserved',
      data: recorded[1].data,
      recordedAt: recorded[1].recordedAt.toISOString(),
    });
    expect(answer.data).toMatchObject({ vCpuCount: 8, observedAt: new Date(t0.getTime() + DAY).toISOString() });
  });

  it('adds the ResourceInactivated of a resource gone inactive', async () => {
    clock.set(day(0));
    await report(instance('i-0c2'));
    clock.set(day(31));
    await sweep.sweep();
    expect((await describeAs(member, 'i-0c2')).map((e) => e.type)).toEqual(['ResourceObserved', 'ResourceInactivated']);
  });

  it("answers from the viewer's inventory only, and nothing for a resource never reported", async () => {
    clock.set(day(0));
    await report(instance('i-0c3'));
    expect(await describeAs({ accountId: '333333333333', region: 'us-east-1' }, 'i-0c3')).toEqual([]);
    expect(await describeAs(member, 'i-0c3', 'i-0cnever')).toHaveLength(1);
  });
});
