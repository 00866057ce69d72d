import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crashDuringLoad, LoadRecord, unansweredOutside, untilAnswered, withSystemDatabase } from '../../support/crash';
import type { TestDirectory } from '../../support/directory';
import { reportResources } from '../../support/inventory';
import { accounts, type RunningSystem } from '../../support/system';
import { answered, listAll, registerDirectory, startSystemWithDirectory } from '../../support/user-subscriptions';

const USERS = 80;
const INSTANCES = 20;
const SUBNET = 'subnet-0c4a5b6c7d8e9f012';
const directoryId = 'd-0dead0beef';
const identityProvider = { ActiveDirectoryIdentityProvider: { DirectoryId: directoryId } };
const instanceIds = Array.from({ length: INSTANCES }, (_, i) => `i-0e${String(i).padStart(15, '0')}`);

describe('kill -9 of user-subscriptions in the middle of subscriptions and associations', () => {
  let directory: TestDirectory;
  let system: RunningSystem;
  beforeAll(async () => {
    // Requests caught by the crash fail after 3 s; what the crash left SUBSCRIBING or ASSOCIATING is settled within a second of the restart.
    ({ directory, system } = await startSystemWithDirectory({
      LM_OPERATION_TIMEOUT_MS: '3000',
      LM_PRODUCT_SUBSCRIPTION_SWEEP_MS: '1000',
      LM_USER_ASSOCIATION_SWEEP_MS: '1000',
    }));
  });
  afterAll(async () => {
    await system?.stop();
    await directory?.destroy();
  });

  it('loses no acknowledged subscription or association, and gives no user two subscriptions to one product', async () => {
    await registerDirectory(system, directory, { directoryId, subnets: [SUBNET], withSettings: true });
    const users = Array.from({ length: USERS }, (_, i) => `crash${String(i).padStart(3, '0')}`);
    for (const username of users) await directory.addUser({ username });
    await reportResources(
      system,
      instanceIds.map((resourceId) => ({
        accountId: accounts.member.accountId,
        resourceId,
        resourceType: 'EC2_INSTANCE' as const,
        state: 'running' as const,
        subnetId: SUBNET,
      })),
    );
    for (let i = 0; i < 300; i++) {
      const listed = await listAll(system, '/instance/ListInstances', 'InstanceSummaries', {});
      if (listed.length === INSTANCES) break;
      await sleep(100);
    }

    const record = new LoadRecord();
    const subscribed = new Set<string>();
    const associated = new Map<string, string>();
    let next = 0;
    /** Subscribes the user, waits for SUBSCRIBED, associates them with an instance: each step sent until answered. */
    const serve = async (username: string, instanceId: string) => {
      const start = await untilAnswered(
        record,
        () =>
          answered(system, '/user/StartProductSubscription', {
            Username: username,
            Product: 'REMOTE_DESKTOP_SERVICES',
            IdentityProvider: identityProvider,
          }),
        90_000,
      );
      if (start.settled.status === 'rejected') throw start.settled.reason;
      subscribed.add(username);
      for (let i = 0; ; i++) {
        const { settled } = await untilAnswered(
          record,
          () =>
            answered(system, '/user/ListProductSubscriptions', {
              IdentityProvider: identityProvider,
              Filters: [{ Attribute: 'Username', Operation: 'eq', Value: username }],
            }),
          90_000,
        );
        if (settled.status === 'rejected') throw settled.reason;
        if (settled.value.json.ProductUserSummaries?.[0]?.Status === 'SUBSCRIBED') break;
        if (i > 300) throw new Error(`${username} never became SUBSCRIBED`);
        await sleep(100);
      }
      const association = await untilAnswered(
        record,
        () =>
          answered(system, '/user/AssociateUser', {
            Username: username,
            InstanceId: instanceId,
            IdentityProvider: identityProvider,
          }),
        90_000,
      );
      if (association.settled.status === 'rejected') throw association.settled.reason;
      associated.set(username, instanceId);
    };
    const worker = async (running: () => boolean) => {
      while (running() && next < users.length) {
        const index = next++;
        await serve(users[index], instanceIds[index % INSTANCES]);
      }
    };
    const outage = await crashDuringLoad(
      system,
      'user-subscriptions',
      record,
      (running) => Promise.all(Array.from({ length: 6 }, () => worker(running))),
      { beforeMs: 2500, downMs: 300, afterMs: 2500 },
    );
    // The crash hit live traffic, and nothing else went unanswered.
    expect(outage.inFlightAtKill).toBeGreaterThan(0);
    expect(record.unanswered.length).toBeGreaterThan(0);
    expect(unansweredOutside(record, outage)).toEqual([]);
    expect(associated.size).toBeGreaterThan(5);

    // Every acknowledged subscription is SUBSCRIBED and every acknowledged association ASSOCIATED
    // (the sweeps settle what the crash left midway), and nothing else is there.
    const associationsNow = async () =>
      (
        await Promise.all(
          instanceIds.map((instanceId) =>
            listAll<{ Username: string; InstanceId: string; Status: string }>(
              system,
              '/user/ListUserAssociations',
              'InstanceUserSummaries',
              { InstanceId: instanceId, IdentityProvider: identityProvider },
            ),
          ),
        )
      ).flat();
    let listedAssociations = await associationsNow();
    for (let i = 0; i < 150; i++) {
      if (listedAssociations.length === associated.size && listedAssociations.every((a) => a.Status === 'ASSOCIATED'))
        break;
      await sleep(200);
      listedAssociations = await associationsNow();
    }
    expect(new Map(listedAssociations.map((a) => [a.Username, a.InstanceId]))).toEqual(associated);
    expect(listedAssociations.every((a) => a.Status === 'ASSOCIATED')).toBe(true);
    const subscriptions = await listAll<{ Username: string; Status: string }>(
      system,
      '/user/ListProductSubscriptions',
      'ProductUserSummaries',
      { IdentityProvider: identityProvider },
    );
    expect(new Set(subscriptions.map((s) => s.Username))).toEqual(subscribed);
    expect(subscriptions.every((s) => s.Status === 'SUBSCRIBED')).toBe(true);

    // From below the API: one subscription stream per user and product, requested and succeeded
    // once; one association stream per user, requested and associated once; the quota's counters
    // agree with the live associations.
    await withSystemDatabase(system, async (db) => {
      const { rows: perSubscription } = await db.query(
        `select lower(data->>'username') as username, data->>'product' as product,
                count(*) filter (where type = 'ProductSubscriptionRequested')::int as requested,
                count(*) filter (where type = 'ProductSubscriptionSucceeded')::int as succeeded,
                count(distinct stream_name)::int as streams
           from user_subscriptions.events where type like 'ProductSubscription%' group by 1, 2`,
      );
      expect(perSubscription).toHaveLength(subscribed.size);
      for (const row of perSubscription) expect(row).toMatchObject({ requested: 1, succeeded: 1, streams: 1 });
      const { rows: perAssociation } = await db.query(
        `select lower(data->>'username') as username,
                count(*) filter (where type = 'UserAssociationRequested')::int as requested,
                count(*) filter (where type = 'UserAssociated')::int as associated,
                count(distinct stream_name)::int as streams
           from user_subscriptions.events where type like 'UserAssociat%' group by 1`,
      );
      expect(perAssociation).toHaveLength(associated.size);
      for (const row of perAssociation) expect(row).toMatchObject({ requested: 1, associated: 1, streams: 1 });
      const { rows: counts } = await db.query('select count from user_subscriptions.user_instance_counts');
      expect(counts.map((row: { count: number }) => row.count)).toEqual(counts.map(() => 1));
      expect(counts).toHaveLength(associated.size);
    });
  }, 400_000);
});
