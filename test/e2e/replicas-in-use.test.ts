import { CreateLicenseConfigurationCommand, GetLicenseConfigurationCommand } from '@aws-sdk/client-license-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAccounts, writeCredentialsFile, type CredentialsFile } from '../load/load-accounts';
import { licenseManager } from '../support/clients';
import { eventually } from '../support/linux-subscriptions';
import { scrapeMetrics, sumByReplica, sumOf } from '../support/metrics';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * The gateway spreads accounts over as few of a service's replicas as keep each below
 * LM_REPLICA_BUSY_CPU of a core, the one running the event relay first
 * (services/gateway/src/routing/replicas-in-use.ts). Here the busy share is 0.15 of a core, so
 * that sixteen clients creating configurations make one licensing replica busy on any machine,
 * and one client reading one request at a time does not.
 */
describe('the replicas the gateway puts to use', () => {
  /** Sixteen accounts: all of them routed to one of two replicas by chance is one in 32,768. */
  const accounts = generateAccounts(16);
  let credentials: CredentialsFile;
  let system: RunningSystem;

  beforeAll(async () => {
    credentials = await writeCredentialsFile(accounts);
    system = await startSystem(
      {
        LM_CREDENTIALS_FILE: credentials.path,
        LM_REPLICA_BUSY_CPU: '0.15',
        // Small pools: the suite running beside it shares PostgreSQL's 100 connections (this one
        // held 25-26 at its peak alone, with pools of 4 or 10).
        DATABASE_POOL_SIZE: '4',
        // The load creates hundreds of configurations an account; the default quota is 25.
        LM_QUOTA_LICENSE_CONFIGURATIONS: '1000000',
      },
      { replicas: { licensing: 2 } },
    );
  });
  afterAll(async () => {
    await system?.stop();
    await credentials?.remove();
  });

  const clients = () => accounts.map((account) => licenseManager(system, account));
  const licensingInUse = async () =>
    sumOf(await scrapeMetrics(system), 'lm_gateway_replicas_in_use', { service: 'licensing' });
  /** How many of the service's operations each licensing replica answered while `run` ran, and which holds the lease. */
  const answeredWhile = async (run: () => Promise<unknown>) => {
    const pids = system.pids('licensing');
    const count = async () => {
      const scrape = await scrapeMetrics(system);
      return {
        answered: sumByReplica(scrape, 'licensing', 'lm_service_operations_total', pids),
        leaseHeld: sumByReplica(scrape, 'licensing', 'lm_subscription_lease_held', pids),
      };
    };
    const before = await count();
    await run();
    const after = await count();
    return { answered: after.answered.map((value, i) => value - before.answered[i]), leaseHeld: after.leaseHeld };
  };

  it('sends every account to the relay’s replica while it is not busy, to both once it is, and to one again after', async () => {
    const lm = clients();
    const arns = await Promise.all(
      lm.map(
        async (client, i) =>
          (
            await client.send(
              new CreateLicenseConfigurationCommand({ Name: `in-use-${i}`, LicenseCountingType: 'vCPU' }),
            )
          ).LicenseConfigurationArn!,
      ),
    );
    const read = (i: number) => lm[i].send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn: arns[i] }));
    const readEach = async () => {
      for (let i = 0; i < accounts.length; i++) await read(i);
    };
    /**
     * The replicas in use once they settle at one, each attempt reading (the count is read again
     * as requests come).
     */
    const settledAtOne = (timeoutMs: number) =>
      eventually(
        async () => (await readEach(), licensingInUse()),
        (inUse) => inUse === 1,
        timeoutMs,
      );

    // At rest (start-up's work may have put both to use for a moment): one replica in use.
    expect(await settledAtOne(30_000)).toBe(1);
    const atRest = await answeredWhile(readEach);
    expect([...atRest.leaseHeld].sort()).toEqual([0, 1]);
    // Every account's reads on the replica that holds the lease (and runs the relay).
    expect(atRest.answered).toEqual(atRest.leaseHeld.map((held) => (held ? accounts.length : 0)));

    // Sixteen clients creating configurations in their accounts until a second replica is in use.
    let loading = true;
    let created = 0;
    const load = lm.map(async (client) => {
      while (loading)
        await client.send(
          new CreateLicenseConfigurationCommand({ Name: `load-${created++}`, LicenseCountingType: 'vCPU' }),
        );
    });
    try {
      expect(await eventually(licensingInUse, (inUse) => inUse === 2, 60_000)).toBe(2);
      // Now both replicas serve accounts of their own.
      const busy = await answeredWhile(readEach);
      expect(busy.answered.every((answered) => answered > 0)).toBe(true);
    } finally {
      loading = false;
      await Promise.all(load);
    }

    // Once the load has gone: one again.
    expect(await settledAtOne(60_000)).toBe(1);
  }, 240_000);
});
