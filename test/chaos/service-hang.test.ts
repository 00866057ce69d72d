import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateLicenseConfigurationCommand } from '@aws-sdk/client-license-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licenseManager } from '../support/clients';
import { LoadRecord, untilAnswered, withSystemDatabase } from '../support/crash';
import { accounts, startSystem, type RunningSystem } from '../support/system';
import { startPrivatePostgres, type PrivatePostgres } from './private-postgres';

const OPERATION_TIMEOUT_MS = 3_000;
/** What the gateway may add to its timeout before it answers (a loaded machine's scheduling). */
const ANSWER_SLACK_MS = 2_000;
const HUNG_MS = 20_000;
const CLIENTS = 6;

describe('a service stopped (SIGSTOP) for 20 s under load, then continued', () => {
  let postgres: PrivatePostgres;
  let system: RunningSystem;
  const sharedServer = process.env.DATABASE_URL;

  beforeAll(async () => {
    // A PostgreSQL of its own: the stuck requests, run at once when the service continues, take
    // many sessions together, which the machine's shared server (100 at most, for everyone) may not have.
    postgres = await startPrivatePostgres();
    process.env.DATABASE_URL = postgres.url;
    system = await startSystem({
      LM_OPERATION_TIMEOUT_MS: String(OPERATION_TIMEOUT_MS),
      LM_QUOTA_LICENSE_CONFIGURATIONS: '100000',
    });
  });
  afterAll(async () => {
    await system?.stop();
    process.env.DATABASE_URL = sharedServer;
    await postgres?.dispose();
  });

  it('is answered 503 within the timeout, and carries out none of the requests it takes up after their deadline', async () => {
    const client = licenseManager(system, accounts.management);
    const record = new LoadRecord();
    /** Names of the configurations the clients were told were created. */
    const created: string[] = [];
    /** When each name's attempts were sent, and when they ended. */
    const attempts = new Map<string, { startedAt: number; endedAt: number }[]>();
    const durations: number[] = [];
    let running = true;
    // CreateLicenseConfiguration has no ClientToken: a client told 503 asks again, and only the system can
    // make sure that the request it gave up on is not carried out too.
    const creating = async () => {
      while (running) {
        const name = `hang-${randomUUID()}`;
        const { settled } = await untilAnswered(
          record,
          async () => {
            const started = Date.now();
            try {
              return await client.send(
                new CreateLicenseConfigurationCommand({ Name: name, LicenseCountingType: 'vCPU', LicenseCount: 10 }),
              );
            } finally {
              durations.push(Date.now() - started);
              attempts.set(name, [...(attempts.get(name) ?? []), { startedAt: started, endedAt: Date.now() }]);
            }
          },
          60_000,
        );
        if (settled.status === 'rejected') throw settled.reason;
        created.push(name);
      }
    };
    const loading = Promise.all(Array.from({ length: CLIENTS }, creating));
    loading.catch(() => undefined);
    await sleep(2_000);

    const [licensing] = system.pids('licensing');
    const inFlightAtStop = record.inFlight;
    const stoppedAt = Date.now();
    process.kill(licensing, 'SIGSTOP');
    await sleep(HUNG_MS);
    process.kill(licensing, 'SIGCONT');
    const continuedAt = Date.now();
    await system.waitHealthy();
    await sleep(3_000);
    running = false;
    await loading;
    // What the stuck requests were going to do, they have done (or refused) by now.
    await sleep(3_000);

    // The stop caught requests on the wire; the clients met 503s, each within the gateway's timeout, only while it lasted.
    expect(inFlightAtStop).toBeGreaterThan(0);
    expect(record.unanswered.length).toBeGreaterThan(CLIENTS);
    for (const attempt of record.unanswered) {
      expect((attempt.error as Error).name).toBe('ServiceUnavailableException');
      expect(attempt.endedAt - attempt.startedAt).toBeLessThan(OPERATION_TIMEOUT_MS + ANSWER_SLACK_MS);
      expect(attempt.endedAt).toBeGreaterThan(stoppedAt);
      expect(attempt.startedAt).toBeLessThan(continuedAt);
    }
    expect(Math.max(...durations)).toBeLessThan(OPERATION_TIMEOUT_MS + ANSWER_SLACK_MS);

    // Every configuration a client was told of exists, and none that no client was told of.
    const createdEvents = await withSystemDatabase(system, async (db) =>
      (
        await db.query(
          `select data->>'name' as name, count(*)::int as n from licensing.events
           where type = 'LicenseConfigurationCreated' and data->>'name' like 'hang-%' group by 1`,
        )
      ).rows.map((row) => [row.name as string, row.n as number] as const),
    );
    expect(new Set(createdEvents.map(([name]) => name))).toEqual(new Set(created));
    // Once each, but for a request whose commit was already on its way to the database when the
    // service stopped: its answer was lost with the gateway's patience, and its client asked again
    // (CreateLicenseConfiguration has no ClientToken to tell the two apart). Every request sent
    // while the service was stopped (the client's first try or its next ones) is refused as late.
    const twice = createdEvents.filter(([, n]) => n > 1);
    const underWayAtStop = (name: string) =>
      attempts.get(name)!.some((attempt) => attempt.startedAt < stoppedAt && attempt.endedAt > stoppedAt);
    expect(twice.filter(([name, n]) => n > 2 || !underWayAtStop(name))).toEqual([]);
    expect(twice.length).toBeLessThanOrEqual(inFlightAtStop);
    expect(system.logs('licensing')).toMatch(/not carried out: its deadline passed/);
  });
});
