import { randomUUID } from 'node:crypto';
import { CloudWatchClient, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import {
  CheckoutLicenseCommand,
  CreateLicenseConfigurationCommand,
  GetLicenseConfigurationCommand,
  GetLicenseUsageCommand,
  UpdateLicenseConfigurationCommand,
  UpdateLicenseSpecificationsForResourceCommand,
} from '@aws-sdk/client-license-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { associationsOf, CountingAgent, createSigningKey, licenseManager } from '../support/clients';
import { reportResources } from '../support/inventory';
import { grantedLicense, oneSeatCheckout } from '../support/licenses';
import { eventually } from '../support/linux-subscriptions';
import { samplesOf, scrapeMetrics, sumByReplica, sumOf, type Scrape } from '../support/metrics';
import { accounts, credentialsOf, startSystem, type RunningSystem } from '../support/system';

type Service = 'licensing' | 'grants';
type Account = (typeof accounts)[keyof typeof accounts];

/**
 * Two licensing and two grants processes on one database and one NATS namespace: the gateway
 * routes each account's requests to one replica while it is not busy, and on to the other beyond
 * that (tenant routing), and the limits still hold when the replicas race each other to append to
 * the same streams. One replica of each runs the event relay and the
 * store subscriptions (the subscription lease), and the other takes over when it is killed.
 */
describe('two replicas of licensing and of grants', () => {
  let system: RunningSystem;
  let before: Scrape;

  /** How much a counter grew on each replica of a service since the suite began. */
  const grownSinceStart = async (service: Service, counter: string, labels: Record<string, string> = {}) => {
    const pids = system.pids(service);
    const now = sumByReplica(await scrapeMetrics(system), service, counter, pids, labels);
    const then = sumByReplica(before, service, counter, pids, labels);
    return now.map((value, i) => value - then[i]);
  };

  /** lm_subscription_lease_held of each replica of a service, in replica order (0 for one that does not answer). */
  const leaseHeld = async (service: Service) =>
    sumByReplica(await scrapeMetrics(system), service, 'lm_subscription_lease_held', system.pids(service));

  /** The usage metrics reporting lists with a dimension: what it has derived from the events of that resource. */
  const metricsWith = async (Name: string, Value: string) =>
    (
      await new CloudWatchClient({
        endpoint: system.endpoint,
        region: system.region,
        credentials: credentialsOf(accounts.management),
      }).send(new ListMetricsCommand({ Namespace: 'AWSLicenseManager/licenseUsage', Dimensions: [{ Name, Value }] }))
    ).Metrics ?? [];

  beforeAll(async () => {
    // Five service processes: smaller pools keep them inside PostgreSQL's default 100 connections.
    // An account's requests spill over to its next replica beyond 8 in flight: the concurrent rounds
    // below reach both replicas, one request at a time stays on one.
    system = await startSystem(
      // A request in flight to a killed replica is answered 503 after 10 s rather than 30.
      { DATABASE_POOL_SIZE: '10', LM_TENANT_SPILL_IN_FLIGHT: '8', LM_OPERATION_TIMEOUT_MS: '10000' },
      { replicas: { licensing: 2, grants: 2 } },
    );
    expect(system.pids('licensing')).toHaveLength(2);
    expect(system.pids('grants')).toHaveLength(2);
    before = await scrapeMetrics(system);
  });
  afterAll(async () => {
    await system?.stop();
  });

  it.each(['licensing', 'grants'] as const)(
    'runs the relay and the store subscriptions of %s on exactly one replica (the lease holder)',
    async (service) => {
      const scrape = await scrapeMetrics(system);
      expect(samplesOf(scrape, 'lm_subscription_lease_held', { service })).toHaveLength(2);
      expect(
        (
          await eventually(
            () => leaseHeld(service),
            (held) => held.includes(1),
          )
        ).sort(),
      ).toEqual([0, 1]);
    },
  );

  /** How many GetLicenseConfiguration requests each licensing replica answered while `run` ran. */
  const getsByReplica = async (run: () => Promise<unknown>) => {
    const labels = { operation: 'GetLicenseConfiguration' };
    const pids = system.pids('licensing');
    const before = sumByReplica(await scrapeMetrics(system), 'licensing', 'lm_service_operations_total', pids, labels);
    await run();
    const after = sumByReplica(await scrapeMetrics(system), 'licensing', 'lm_service_operations_total', pids, labels);
    return after.map((value, i) => value - before[i]);
  };

  const configurationOf = async (account: Account) =>
    (
      await licenseManager(system, account).send(
        new CreateLicenseConfigurationCommand({ Name: 'routed', LicenseCountingType: 'vCPU' }),
      )
    ).LicenseConfigurationArn!;

  /** How many requests to licensing the gateway routed `route` (lm_gateway_replica_routes_total) while `run` ran. */
  const routedWhile = async (route: string, run: () => Promise<unknown>) => {
    const labels = { service: 'licensing', route };
    const before = sumOf(await scrapeMetrics(system), 'lm_gateway_replica_routes_total', labels);
    await run();
    return sumOf(await scrapeMetrics(system), 'lm_gateway_replica_routes_total', labels) - before;
  };

  it('routes an account’s requests, one at a time, to one replica', async () => {
    for (const account of Object.values(accounts)) {
      const LicenseConfigurationArn = await configurationOf(account);
      const client = licenseManager(system, account);
      let answered: number[] = [];
      const preferred = await routedWhile('preferred', async () => {
        answered = await getsByReplica(async () => {
          for (let i = 0; i < 20; i++)
            await client.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn }));
        });
      });
      expect(answered.sort()).toEqual([0, 20]);
      expect(preferred).toBeGreaterThanOrEqual(20);
    }
  });

  it('spills an account’s requests over to the other replica while its own has 8 in flight', async () => {
    const LicenseConfigurationArn = await configurationOf(accounts.member);
    const agent = new CountingAgent();
    const client = licenseManager(system, accounts.member, agent);
    let answered: number[] = [];
    const spilled = await routedWhile('spilled', async () => {
      answered = await getsByReplica(() =>
        Promise.all(
          Array.from({ length: 100 }, () =>
            client.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn })),
          ),
        ),
      );
    });
    expect(spilled).toBeGreaterThan(0);
    expect(agent.peakInFlight).toBeGreaterThan(16);
    expect(answered.reduce((sum, n) => sum + n, 0)).toBe(100);
    expect(Math.min(...answered)).toBeGreaterThan(0);
  });

  it('under 200 concurrent associations with room for 20, exactly 20 succeed', async () => {
    const client = licenseManager(system, accounts.management);
    const config = (
      await client.send(
        new CreateLicenseConfigurationCommand({
          Name: 'replicas',
          LicenseCountingType: 'Instance',
          LicenseCount: 20,
          LicenseCountHardLimit: true,
        }),
      )
    ).LicenseConfigurationArn!;
    const arns = await reportResources(
      system,
      Array.from({ length: 200 }, (_, i) => ({
        accountId: accounts.management.accountId,
        resourceId: `i-0e${i.toString(16).padStart(15, '0')}`,
        resourceType: 'EC2_INSTANCE' as const,
        state: 'running',
      })),
    );
    const agent = new CountingAgent();
    const concurrent = licenseManager(system, accounts.management, agent);
    const results = await Promise.allSettled(
      arns.map((ResourceArn) =>
        concurrent.send(
          new UpdateLicenseSpecificationsForResourceCommand({
            ResourceArn,
            AddLicenseSpecifications: [{ LicenseConfigurationArn: config }],
          }),
        ),
      ),
    );
    expect(agent.peakInFlight).toBeGreaterThan(50);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(20);
    expect(new Set(refused.map((r) => (r.reason as Error).name))).toEqual(new Set(['LicenseUsageException']));
    expect(
      (await client.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn: config }))).ConsumedLicenses,
    ).toBe(20);
    expect(await associationsOf(client, config)).toHaveLength(20);
  });

  it('grants exactly 10 of 100 concurrent checkouts of one unit against MaxCount 10', async () => {
    const license = await grantedLicense(system, {
      issuer: accounts.management,
      grantee: accounts.member,
      signKey: await createSigningKey(system, accounts.management),
      productSku: 'replica-seats',
      entitlements: [{ Name: 'Seats', Unit: 'Count', MaxCount: 10, AllowCheckIn: true }],
      allowedOperations: ['CheckoutLicense', 'CheckInLicense'],
      consumptionConfiguration: { RenewType: 'None', ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } },
    });
    const agent = new CountingAgent();
    const customer = licenseManager(system, accounts.member, agent);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 100 }, () => customer.send(new CheckoutLicenseCommand(oneSeatCheckout(license)))),
    );
    expect(agent.peakInFlight).toBeGreaterThan(50);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(10);
    expect(new Set(outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as Error).name] : [])))).toEqual(
      new Set(['NoEntitlementsAllowedException']),
    );
    const { LicenseUsage } = await licenseManager(system, accounts.management).send(
      new GetLicenseUsageCommand({ LicenseArn: license.licenseArn }),
    );
    expect(LicenseUsage!.EntitlementUsages).toEqual([
      { Name: 'Seats', Unit: 'Count', ConsumedValue: '10', MaxCount: '10' },
    ]);
  });

  /**
   * A round of concurrent writes that both replicas of a service append to one stream: updates
   * of one configuration, checkouts of one licence with room for all of them.
   */
  const contend: Record<Service, () => Promise<void>> = {
    licensing: async () => {
      const client = licenseManager(system, accounts.management, new CountingAgent());
      const { LicenseConfigurationArn } = await client.send(
        new CreateLicenseConfigurationCommand({ Name: 'contended', LicenseCountingType: 'vCPU' }),
      );
      await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          client.send(new UpdateLicenseConfigurationCommand({ LicenseConfigurationArn, Description: `round ${i}` })),
        ),
      );
    },
    grants: async () => {
      const license = await grantedLicense(system, {
        issuer: accounts.management,
        grantee: accounts.member,
        signKey: await createSigningKey(system, accounts.management),
        productSku: `contended-${randomUUID()}`,
        entitlements: [{ Name: 'Seats', Unit: 'Count', MaxCount: 1000, AllowCheckIn: true }],
        allowedOperations: ['CheckoutLicense'],
        consumptionConfiguration: { RenewType: 'None', ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } },
      });
      const customer = licenseManager(system, accounts.member, new CountingAgent());
      await Promise.all(
        Array.from({ length: 60 }, () => customer.send(new CheckoutLicenseCommand(oneSeatCheckout(license)))),
      );
    },
  };

  it.each(['licensing', 'grants'] as const)(
    'shared the requests between both %s replicas, which retried on each other’s appends',
    async (service) => {
      // Answered, with a result or a refusal (most of the concurrent requests are refused).
      for (const answered of await grownSinceStart(service, 'lm_service_operations_total'))
        expect(answered).toBeGreaterThan(0);
      // Whether two replicas' appends overlap is up to the scheduler: race them again (a bounded
      // number of rounds) until one replica has had to decide again on the other's append.
      const retried = async () =>
        (await grownSinceStart(service, 'lm_event_store_conflict_retries_total')).some((n) => n > 0);
      for (let round = 0; round < 5 && !(await retried()); round++) await contend[service]();
      expect(await retried()).toBe(true);
      // Every retry followed an append the store refused as a version conflict.
      const total = (values: number[]) => values.reduce((sum, value) => sum + value, 0);
      expect(total(await grownSinceStart(service, 'lm_event_store_version_conflicts_total'))).toBeGreaterThanOrEqual(
        total(await grownSinceStart(service, 'lm_event_store_conflict_retries_total')),
      );
    },
  );

  /** The licensing replica (its index) that answers `account`'s reads. */
  const replicaOf = async (account: Account, LicenseConfigurationArn: string): Promise<number> => {
    const client = licenseManager(system, account);
    const answered = await getsByReplica(() =>
      client.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn })),
    );
    return answered.indexOf(1);
  };

  /**
   * An account reads, one request after another, while its replica is killed. A read in flight at
   * the kill, if any, is answered 503 once the gateway stops waiting for it (as with a queue group).
   * The reads sent after the kill, one after another beside it, are answered by the survivor at
   * once: the killed replica's subject has no responders, and each goes on to the queue group, long
   * before the replica's presence expires (3.5 s). The replica is started again afterwards.
   */
  it('sends an account’s reads on to the other replica at once when its own is killed under them', async () => {
    const account = accounts.management;
    const LicenseConfigurationArn = await configurationOf(account);
    const replica = await replicaOf(account, LicenseConfigurationArn);
    expect(replica).toBeGreaterThanOrEqual(0);
    const client = licenseManager(system, account);
    const read = () => client.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn }));
    let killed = false;
    let readsBeforeKill = 0;
    let lostAtKill = 0;
    const readingUntilKilled = (async () => {
      while (!killed) {
        const lost = await read().then(
          () => false,
          (error: Error) => killed && error.name === 'ServiceUnavailableException',
        );
        if (lost) lostAtKill += 1;
        else readsBeforeKill += 1;
      }
    })();
    // The kill lands among the reads.
    while (readsBeforeKill < 10) await new Promise((resolve) => setTimeout(resolve, 5));
    let afterKillMs = 0;
    try {
      const gone = await routedWhile('gone', async () => {
        await system.kill('licensing', 'SIGKILL', replica);
        killed = true;
        // NATS drops a killed process's subscriptions once it sees its connection close: a request
        // sent to it before then is lost, as with a queue group (the reads above may lose one).
        await new Promise((resolve) => setTimeout(resolve, 250));
        const started = performance.now();
        for (let i = 0; i < 20; i++) await read();
        afterKillMs = performance.now() - started;
      });
      await readingUntilKilled;
      expect(lostAtKill).toBeLessThanOrEqual(1);
      // The killed replica's presence lasts 3.5 s from its last announcement.
      expect(afterKillMs).toBeLessThan(2_500);
      // Sent to the killed replica's subject, which had no responders, then to the queue group.
      expect(gone).toBeGreaterThan(0);
    } finally {
      await system.restart('licensing', replica);
    }
  });

  // Last: it leaves one replica of each service.
  it('hands the lease to the other replica when its holder is killed, and events still flow to reporting', async () => {
    for (const service of ['licensing', 'grants'] as const) {
      // Licensing's lease may be changing hands after the replica killed and started again above.
      const holder = (
        await eventually(
          () => leaseHeld(service),
          (held) => held.includes(1),
        )
      ).indexOf(1);
      expect(holder).toBeGreaterThanOrEqual(0);
      await system.kill(service, 'SIGKILL', holder);
      const survivor = 1 - holder;
      const held = await eventually(
        () => leaseHeld(service),
        (now) => now[survivor] === 1,
      );
      expect(held[survivor]).toBe(1);
    }
    // Appended by the survivors, relayed by them to JetStream, and applied by reporting's consumers.
    const client = licenseManager(system, accounts.management);
    const { LicenseConfigurationArn } = await client.send(
      new CreateLicenseConfigurationCommand({ Name: 'after the kill', LicenseCountingType: 'Instance' }),
    );
    const license = await grantedLicense(system, {
      issuer: accounts.management,
      grantee: accounts.member,
      signKey: await createSigningKey(system, accounts.management),
      productSku: `after-the-kill-${randomUUID()}`,
      entitlements: [{ Name: 'Seats', Unit: 'Count', MaxCount: 5, AllowCheckIn: true }],
      allowedOperations: ['CheckoutLicense'],
      consumptionConfiguration: { RenewType: 'None', ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } },
    });
    const configurationMetrics = await eventually(
      () => metricsWith('LicenseConfigurationArn', LicenseConfigurationArn!),
      (metrics) => metrics.length > 0,
    );
    expect(configurationMetrics.map((metric) => metric.MetricName)).toContain('LicenseConfigurationUsageCount');
    const licenceMetrics = await eventually(
      () => metricsWith('LicenseArn', license.licenseArn),
      (metrics) => metrics.length > 0,
    );
    expect(licenceMetrics.map((metric) => metric.MetricName)).toContain('LicenseEntitlementUsageCount');
  });
});
