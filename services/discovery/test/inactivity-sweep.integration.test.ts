import type { Extensions } from '@lm/api-model';
import type { Caller } from '@lm/contracts';
import { openServiceStorageOf, ManualClock, type ServiceStorage } from '@lm/service-kit';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InventoryReports } from '../src/application/inventory-resource.commands';
import { InventorySweep } from '../src/application/inventory-resource.sweep';
import { InventoryQueries } from '../src/application/inventory-resource.queries';
import { InventoryScopes } from '../src/application/inventory-scope.queries';
import { DiscoveryService } from '../src/discovery.service';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';

const DAY = 24 * 3600_000;
const t0 = new Date('2026-03-01T00:00:00Z');

/** The instant `days` days after t0. */
const day = (days: number) => new Date(t0.getTime() + days * DAY);

const callerOf = (accountId: string): Caller => ({
  accountId,
  principalArn: `arn:aws:iam::${accountId}:root`,
  accessKeyId: `AKIA${accountId}`,
  region: 'us-east-1',
});
const member = callerOf('222222222222');
const outsider = callerOf('333333333333');

const instance = (id: string): Extensions.ReportedResource => ({
  ResourceId: id,
  ResourceType: 'EC2_INSTANCE',
  State: 'running',
  Platform: 'Linux/UNIX',
});

describe('the 30-day inactivity sweep, with a fake clock', () => {
  let database: TestDatabase;
  let infra: ServiceStorage;
  const clock = new ManualClock(t0);
  let reports: InventoryReports;
  let sweep: InventorySweep;
  let queries: InventoryQueries;

  const report = (...resources: Extensions.ReportedResource[]) => reportAs(member, ...resources);
  const reportAs = (caller: Caller, ...resources: Extensions.ReportedResource[]) =>
    reports.report({ kind: 'caller', caller }, { Resources: resources });
  const listedIds = async (caller = member) => {
    const ids: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await queries.list(caller, { NextToken });
      ids.push(...page.ResourceInventoryList!.map((r) => r.ResourceId!));
      NextToken = page.NextToken;
    } while (NextToken);
    return ids.sort();
  };
  const eventTypes = async () =>
    (
      await sql<{ type: string }>`select type from discovery.events order by global_position`.execute(infra.db)
    ).rows.map((r) => r.type);

  beforeAll(async () => {
    database = await createTestDatabase('lm_discovery');
    infra = await openServiceStorageOf(DiscoveryService, { DATABASE_URL: database.url });
    reports = new InventoryReports(infra.store, clock);
    sweep = new InventorySweep(infra.db, infra.store, clock);
    queries = new InventoryQueries(infra.db, new InventoryScopes(infra.db));
  });
  afterAll(async () => {
    await infra?.close();
    await database?.drop();
  });

  it('inactivates what went unreported for 30 days, keeps what was re-reported, and re-activates on a report', async () => {
    clock.set(day(0));
    expect(await report(instance('i-quiet'), instance('i-chatty'))).toEqual({ Accepted: 2, Failed: [] });
    clock.set(day(10));
    await report(instance('i-chatty'));
    expect(await eventTypes()).toEqual(['ResourceObserved', 'ResourceObserved', 'ResourceObservationRefreshed']);

    clock.set(day(29.99));
    expect(await sweep.sweep()).toBe(0);
    expect(await listedIds()).toEqual(['i-chatty', 'i-quiet']);

    clock.set(day(30));
    expect(await sweep.sweep()).toBe(1);
    expect(await listedIds()).toEqual(['i-chatty']);
    const [inactivated] = (
      await sql<{
        data: Record<string, string>;
      }>`select data from discovery.events where type = 'ResourceInactivated'`.execute(infra.db)
    ).rows;
    expect(inactivated.data).toMatchObject({
      accountId: '222222222222',
      resourceId: 'i-quiet',
      resourceArn: 'arn:aws:ec2:us-east-1:222222222222:instance/i-quiet',
      lastObservedAt: t0.toISOString(),
      inactivatedAt: clock.now().toISOString(),
    });
    expect(await sweep.sweep()).toBe(0);

    clock.set(day(31));
    await report(instance('i-quiet'));
    expect(await listedIds()).toEqual(['i-chatty', 'i-quiet']);

    clock.set(day(40));
    expect(await sweep.sweep()).toBe(1);
    expect(await listedIds()).toEqual(['i-quiet']);
  });

  it('sweeps more resources than one batch', async () => {
    clock.set(day(100));
    const ids = Array.from({ length: 250 }, (_, i) => `i-bulk-${String(i).padStart(3, '0')}`);
    for (let i = 0; i < ids.length; i += 100) await reportAs(outsider, ...ids.slice(i, i + 100).map(instance));
    expect(await listedIds(outsider)).toEqual(ids);
    clock.set(day(130));
    // i-quiet of the first test, last reported on day 31, goes too.
    expect(await sweep.sweep()).toBe(251);
    expect(await listedIds(outsider)).toEqual([]);
  });
});
