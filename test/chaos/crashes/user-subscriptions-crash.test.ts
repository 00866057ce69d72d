import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crashDuringLoad, LoadRecord, unansweredOutside, untilAnswered, withSystemDatabase } from '../../support/crash';
import type { TestDirectory } from '../../support/directory';
import type { RunningSystem } from '../../support/system';
import { answered, listAll, registerDirectory, startSystemWithDirectory } from '../../support/user-subscriptions';

const USERS = 120;
const directoryId = 'd-0c0ffee000';
const identityProvider = { ActiveDirectoryIdentityProvider: { DirectoryId: directoryId } };

describe('kill -9 of user-subscriptions in the middle of product subscriptions', () => {
  let directory: TestDirectory;
  let system: RunningSystem;
  beforeAll(async () => {
    // Requests caught by the crash fail after 3 s; subscriptions the crash left SUBSCRIBING are settled within a second of the restart.
    ({ directory, system } = await startSystemWithDirectory({
      LM_OPERATION_TIMEOUT_MS: '3000',
      LM_PRODUCT_SUBSCRIPTION_SWEEP_MS: '1000',
    }));
  });
  afterAll(async () => {
    await system?.stop();
    await directory?.destroy();
  });

  it('loses no acknowledged subscription and gives no user two subscriptions to one product', async () => {
    await registerDirectory(system, directory, { directoryId, subnets: ['subnet-0123456789abcdef0'] });
    const users = Array.from({ length: USERS }, (_, i) => `user${String(i).padStart(3, '0')}`);
    for (const username of users) await directory.addUser({ username });

    const record = new LoadRecord();
    const acknowledged = new Set<string>();
    let next = 0;
    /**
     * Each user is subscribed until the system answers: a Start whose answer the crash swallowed
     * may have been recorded, so a later ConflictException ("already subscribed") acknowledges it
     * too. Only a 500 that is not that conflict, a 501 or a 503 (or no answer) counts as unanswered.
     */
    const start = (username: string) =>
      answered(system, '/user/StartProductSubscription', {
        Username: username,
        Product: 'REMOTE_DESKTOP_SERVICES',
        IdentityProvider: identityProvider,
      });
    const worker = async (running: () => boolean) => {
      while (running() && next < users.length) {
        const username = users[next++];
        const { settled } = await untilAnswered(record, () => start(username), 90_000);
        if (settled.status === 'rejected') throw settled.reason;
        acknowledged.add(username);
      }
    };
    const outage = await crashDuringLoad(
      system,
      'user-subscriptions',
      record,
      (running) => Promise.all(Array.from({ length: 6 }, () => worker(running))),
      { beforeMs: 1500, downMs: 300, afterMs: 1500 },
    );
    expect(outage.inFlightAtKill).toBeGreaterThan(0);
    expect(record.unanswered.length).toBeGreaterThan(0);
    expect(unansweredOutside(record, outage)).toEqual([]);
    expect(acknowledged.size).toBeGreaterThan(10);

    // Every acknowledged user ends SUBSCRIBED (the sweep settles what the crash left SUBSCRIBING), and only they.
    let listed: { Username: string; Status: string }[] = [];
    for (let i = 0; i < 150; i++) {
      listed = await listAll(system, '/user/ListProductSubscriptions', 'ProductUserSummaries', {
        IdentityProvider: identityProvider,
      });
      if (listed.length === acknowledged.size && listed.every((s) => s.Status === 'SUBSCRIBED')) break;
      await sleep(200);
    }
    expect(new Set(listed.map((s) => s.Username))).toEqual(acknowledged);
    expect(listed.every((s) => s.Status === 'SUBSCRIBED')).toBe(true);

    // From below the API: one subscription stream per user, requested once and succeeded once.
    await withSystemDatabase(system, async (db) => {
      const { rows } = await db.query(
        `select lower(data->>'username') as username, count(*) filter (where type = 'ProductSubscriptionRequested')::int as requested,
                count(*) filter (where type = 'ProductSubscriptionSucceeded')::int as succeeded, count(distinct stream_name)::int as streams
           from user_subscriptions.events where type like 'ProductSubscription%' group by 1`,
      );
      expect(rows).toHaveLength(acknowledged.size);
      for (const row of rows) expect(row).toMatchObject({ requested: 1, succeeded: 1, streams: 1 });
    });
  }, 300_000);
});
