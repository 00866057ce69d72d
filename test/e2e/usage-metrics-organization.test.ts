import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import {
  CloudWatchClient,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  type Dimension,
} from '@aws-sdk/client-cloudwatch';
import {
  CheckInLicenseCommand,
  CheckoutLicenseCommand,
  CreateGrantCommand,
  CreateLicenseConfigurationCommand,
  type LicenseManagerClient,
} from '@aws-sdk/client-license-manager';
import { AwsQueryProtocol, AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols';
import { eventsStreamName } from '@lm/messaging';
import { connect } from 'nats';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, licenseManager } from '../support/clients';
import { acceptAndActivate, grantedLicense, type GrantedLicense } from '../support/licenses';
import { samplesIn, statisticsPerMinute } from '../support/metric-statistics';
import { requireBoto3 } from '../support/required-tools';
import { accounts, credentialsOf, principals, startSystem, type RunningSystem } from '../support/system';

const NAMESPACE = 'AWSLicenseManager/licenseUsage';
/** An ISV outside the organization sells to its management account, which distributes the licence to a member. */
const SELLER = accounts.outsider;
const ROOT_BUYER = accounts.management;
const MEMBER = accounts.member;
/** In the organization, but with no part in the licence. */
const BYSTANDER = accounts.nestedMember;
type Account = typeof SELLER;

/** Licence and grant changes reach consumption within this (LM_CONSUMPTION_LICENSE_CACHE_MS). */
const LICENSE_CACHE_MS = 200;

/** The JS SDK's CloudWatch client, in RPC v2 CBOR (the model's first protocol) unless told, without retries. */
const cloudWatch = (
  system: RunningSystem,
  account: Account,
  protocol: typeof AwsSmithyRpcV2CborProtocol | typeof AwsQueryProtocol = AwsSmithyRpcV2CborProtocol,
) =>
  new CloudWatchClient({
    endpoint: system.endpoint,
    region: system.region,
    credentials: credentialsOf(account),
    maxAttempts: 1,
    protocol,
  });

/**
 * Every sample the statistics read must fall in one clock hour, or an hourly data point would join
 * them: near the end of an hour (the system's start and the scenario take minutes here), wait for the next.
 */
async function clearOfHourEnd(): Promise<void> {
  const intoHour = Date.now() % 3_600_000;
  if (intoHour > 3_600_000 - 300_000) await new Promise((resolve) => setTimeout(resolve, 3_600_000 - intoHour + 1_000));
}

async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  withinMs = 20_000,
): Promise<T> {
  let last: T | undefined;
  for (const deadline = Date.now() + withinMs; Date.now() < deadline;) {
    last = await read();
    if (done(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what}: still ${JSON.stringify(last)}`);
}

describe('usage metrics of seller-issued licences and of an organization, through CloudWatch clients', () => {
  let system: RunningSystem;
  let license: GrantedLicense;
  let dimensions: Dimension[];
  let start: Date;
  let end: Date;

  const checkout = (client: LicenseManagerClient, seats: number) =>
    client.send(
      new CheckoutLicenseCommand({
        ProductSKU: license.sku,
        KeyFingerprint: license.fingerprint,
        CheckoutType: 'PROVISIONAL',
        Entitlements: [{ Name: 'Seats', Unit: 'Count', Value: String(seats) }],
        ClientToken: randomUUID(),
      }),
    );

  /** The hour's statistics of one of the licence's metrics, as `account` sees them. */
  const seats = async (account: Account, metricName = 'LicenseEntitlementUsageCount') =>
    (
      await cloudWatch(system, account).send(
        new GetMetricStatisticsCommand({
          Namespace: NAMESPACE,
          MetricName: metricName,
          Dimensions: dimensions,
          StartTime: start,
          EndTime: end,
          Period: 3600,
          Statistics: ['SampleCount', 'Minimum', 'Maximum'],
        }),
      )
    ).Datapoints!.map(({ SampleCount, Minimum, Maximum, Unit }) => ({ SampleCount, Minimum, Maximum, Unit }));

  beforeAll(async () => {
    await clearOfHourEnd();
    system = await startSystem({
      LM_CONSUMPTION_LICENSE_CACHE_MS: String(LICENSE_CACHE_MS),
      // The last test's kill -9 leaves events unacknowledged: they come again after 5 s rather than 30 s.
      LM_CONSUMER_ACK_WAIT_MS: '5000',
    });
    start = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    license = await grantedLicense(system, {
      issuer: SELLER,
      grantee: ROOT_BUYER,
      productSku: 'sku-usage-dashboard',
      entitlements: [
        { Name: 'Seats', Unit: 'Count', MaxCount: 10, AllowCheckIn: true },
        { Name: 'Premium', Unit: 'None', Value: 'Enabled' },
      ],
      allowedOperations: ['CheckoutLicense', 'CheckInLicense', 'CreateGrant'],
      consumptionConfiguration: { RenewType: 'None', ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } },
    });
    dimensions = [
      { Name: 'LicenseArn', Value: license.licenseArn },
      { Name: 'EntitlementName', Value: 'Seats' },
    ];
    const rootBuyer = licenseManager(system, ROOT_BUYER);
    const { GrantArn } = await rootBuyer.send(
      new CreateGrantCommand({
        GrantName: 'to the member',
        LicenseArn: license.licenseArn,
        Principals: [principals.account(MEMBER)],
        HomeRegion: system.region,
        AllowedOperations: ['CheckoutLicense', 'CheckInLicense'],
        ClientToken: randomUUID(),
      }),
    );
    await acceptAndActivate(system, MEMBER, GrantArn!);
    await new Promise((resolve) => setTimeout(resolve, LICENSE_CACHE_MS + 50));
    // The member takes 3 seats, the root buyer 2, then the member gives its 3 back.
    const member = licenseManager(system, MEMBER);
    const { LicenseConsumptionToken } = await checkout(member, 3);
    await checkout(rootBuyer, 2);
    await member.send(new CheckInLicenseCommand({ LicenseConsumptionToken }));
    // Each account of the organization has a license configuration of its own.
    await rootBuyer.send(
      new CreateLicenseConfigurationCommand({ Name: 'Root', LicenseCountingType: 'vCPU', LicenseCount: 20 }),
    );
    await licenseManager(system, MEMBER).send(
      new CreateLicenseConfigurationCommand({ Name: 'Member', LicenseCountingType: 'Core', LicenseCount: 10 }),
    );
    end = new Date(start.getTime() + 3_600_000);
    // The system's start and the scenario's set-up after waiting out an hour's end (up to 301 s).
  }, 480_000);

  afterAll(async () => {
    await system?.stop();
  });

  it("shows the licence's entitlement usage to the seller, the root buyer and the consuming account, exactly, and to nobody else", async () => {
    // Seller: 0 at creation, 3, 5, 2. Root buyer (from the member's checkout on): 3, 5, 2. Member: its own 3, 0
    // (the root buyer's checkout changes nothing the member sees).
    const seller = await eventually(
      () => seats(SELLER),
      (points) => points[0]?.SampleCount === 4,
      "the seller's points",
    );
    expect(seller).toEqual([{ SampleCount: 4, Minimum: 0, Maximum: 5, Unit: 'Count' }]);
    expect(
      await eventually(
        () => seats(ROOT_BUYER),
        (p) => p[0]?.SampleCount === 3,
        "the root buyer's",
      ),
    ).toEqual([{ SampleCount: 3, Minimum: 2, Maximum: 5, Unit: 'Count' }]);
    expect(
      await eventually(
        () => seats(MEMBER),
        (p) => p[0]?.SampleCount === 2,
        "the member's",
      ),
    ).toEqual([{ SampleCount: 2, Minimum: 0, Maximum: 3, Unit: 'Count' }]);
    expect(await seats(SELLER, 'TotalLicenseEntitlementUsageCount')).toEqual([
      { SampleCount: 4, Minimum: 10, Maximum: 10, Unit: 'Count' },
    ]);
    expect(await seats(MEMBER, 'LicenseEntitlementUsagePercentage')).toEqual([
      { SampleCount: 2, Minimum: 0, Maximum: 30, Unit: 'Percent' },
    ]);
    expect(await seats(BYSTANDER)).toEqual([]);
    // The AWS CLI lists the metrics of the licence's limited entitlement only (Premium is unlimited).
    const listed = await awsCli(system, SELLER, ['cloudwatch', 'list-metrics', '--namespace', NAMESPACE]);
    expect(listed.exitCode, listed.stderr).toBe(0);
    expect(listed.json.Metrics.map((m: { MetricName: string }) => m.MetricName).sort()).toEqual([
      'LicenseEntitlementUsageCount',
      'LicenseEntitlementUsagePercentage',
      'TotalLicenseEntitlementUsageCount',
    ]);
    expect(listed.json.Metrics[0].Dimensions).toEqual(dimensions);
    const bystander = await awsCli(system, BYSTANDER, ['cloudwatch', 'list-metrics', '--namespace', NAMESPACE]);
    expect(bystander.json.Metrics).toEqual([]);
  });

  it("lists the organization's metrics to its management account with IncludeLinkedAccounts (AWS CLI), each with its owning account", async () => {
    const linked = await awsCli(system, ROOT_BUYER, [
      'cloudwatch',
      'list-metrics',
      '--namespace',
      NAMESPACE,
      '--metric-name',
      'LicenseEntitlementUsageCount',
      '--include-linked-accounts',
    ]);
    expect(linked.exitCode, linked.stderr).toBe(0);
    expect(linked.json.OwningAccounts.sort()).toEqual([ROOT_BUYER.accountId, MEMBER.accountId].sort());
    const own = await awsCli(system, ROOT_BUYER, ['cloudwatch', 'list-metrics', '--namespace', NAMESPACE]);
    expect(own.json.OwningAccounts).toBeUndefined();
    // The query protocol (XML) says the same.
    const inXml = await cloudWatch(system, ROOT_BUYER, AwsQueryProtocol).send(
      new ListMetricsCommand({
        Namespace: NAMESPACE,
        MetricName: 'LicenseEntitlementUsageCount',
        IncludeLinkedAccounts: true,
      }),
    );
    expect(inXml.OwningAccounts?.sort()).toEqual(linked.json.OwningAccounts);
    const oneAccount = await cloudWatch(system, ROOT_BUYER).send(
      new ListMetricsCommand({ Namespace: NAMESPACE, IncludeLinkedAccounts: true, OwningAccount: MEMBER.accountId }),
    );
    expect(new Set(oneAccount.OwningAccounts)).toEqual(new Set([MEMBER.accountId]));
    expect(oneAccount.Metrics!.map((m) => m.MetricName).sort()).toEqual([
      'LicenseConfigurationUsageCount',
      'LicenseConfigurationUsagePercentage',
      'LicenseEntitlementUsageCount',
      'LicenseEntitlementUsagePercentage',
      'TotalLicenseConfigurationUsageCount',
      'TotalLicenseEntitlementUsageCount',
    ]);
    // A member account is no monitoring account: its linked accounts are none.
    const member = await cloudWatch(system, MEMBER).send(
      new ListMetricsCommand({
        Namespace: NAMESPACE,
        IncludeLinkedAccounts: true,
        OwningAccount: ROOT_BUYER.accountId,
      }),
    );
    expect(member.Metrics ?? []).toEqual([]);
  });

  it("reads a member's metric by AccountId (JS SDK), and a member cannot read the management account's", async () => {
    const query = (account: Account, accountId: string) =>
      cloudWatch(system, account).send(
        new GetMetricDataCommand({
          StartTime: start,
          EndTime: end,
          MetricDataQueries: [
            {
              Id: 'seats',
              AccountId: accountId,
              MetricStat: {
                Metric: { Namespace: NAMESPACE, MetricName: 'LicenseEntitlementUsageCount', Dimensions: dimensions },
                Period: 3600,
                Stat: 'Maximum',
              },
            },
          ],
        }),
      );
    expect((await query(ROOT_BUYER, MEMBER.accountId)).MetricDataResults![0].Values).toEqual([3]);
    expect((await query(MEMBER, ROOT_BUYER.accountId)).MetricDataResults![0].Values).toEqual([]);
    expect((await query(SELLER, MEMBER.accountId)).MetricDataResults![0].Values).toEqual([]);
  });

  it("adds up the organization's license configurations and seats with boto3: SUM over each owning account's metric", async () => {
    await requireBoto3();
    const sum = (metricName: string) => boto3Sum(system, ROOT_BUYER, metricName, start, end);
    const configurations = await sum('TotalLicenseConfigurationUsageCount');
    expect(configurations.owningAccounts).toEqual([ROOT_BUYER.accountId, MEMBER.accountId].sort());
    expect(configurations.results).toEqual([
      { Id: 'organization', Label: 'organization', Values: [30], StatusCode: 'Complete' },
    ]);
    // The root buyer's most (5) and the member's (3).
    expect((await sum('LicenseEntitlementUsageCount')).results).toEqual([
      { Id: 'organization', Label: 'organization', Values: [8], StatusCode: 'Complete' },
    ]);
    // From a member account, the same script finds its own metric only.
    expect((await boto3Sum(system, MEMBER, 'TotalLicenseConfigurationUsageCount', start, end)).results).toEqual([
      { Id: 'organization', Label: 'organization', Values: [10], StatusCode: 'Complete' },
    ]);
  });

  it("rebuilds exactly the same statistics when grants' events are replayed from the beginning", async () => {
    const before = await entitlementEventPoints(system);
    expect(before.length).toBeGreaterThan(0);
    await system.kill('reporting', 'SIGKILL');
    const nc = await connect({ servers: process.env.NATS_URL });
    await (
      await nc.jetstreamManager()
    ).consumers.delete(eventsStreamName(system.natsNamespace), 'reporting-grants-events');
    await nc.close();
    const db = new Client({ connectionString: system.databaseUrl });
    await db.connect();
    try {
      await db.query(`delete from reporting.processed_events where consumer = 'reporting-entitlement-usage'`);
      await db.query(`delete from reporting.metric_points where metric_name like '%LicenseEntitlement%'`);
      await db.query('truncate reporting.entitlement_usage_licences');
    } finally {
      await db.end();
    }
    await system.restart('reporting');
    // Replayed in other batches than they first came in: the points may be merged otherwise, never the statistics.
    const after = await eventually(
      () => entitlementEventPoints(system),
      (rows) => isDeepStrictEqual(rows, before),
      'the replay',
    );
    expect(after).toEqual(before);
  });

  it('counts every checkout once when reporting is killed with SIGKILL in the middle of the stream', async () => {
    const fleet = await grantedLicense(system, {
      issuer: SELLER,
      grantee: ROOT_BUYER,
      productSku: 'sku-killed-reporting',
      entitlements: [{ Name: 'Seats', Unit: 'Count', MaxCount: 100 }],
      allowedOperations: ['CheckoutLicense'],
      consumptionConfiguration: { RenewType: 'None', ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } },
    });
    await new Promise((resolve) => setTimeout(resolve, LICENSE_CACHE_MS + 50));
    const rootBuyer = licenseManager(system, ROOT_BUYER);
    const checkOut = async (count: number) => {
      for (let i = 0; i < count; i++)
        await rootBuyer.send(
          new CheckoutLicenseCommand({
            ProductSKU: fleet.sku,
            KeyFingerprint: fleet.fingerprint,
            CheckoutType: 'PERPETUAL',
            Entitlements: [{ Name: 'Seats', Unit: 'Count', Value: '1' }],
            ClientToken: randomUUID(),
          }),
        );
    };
    /** The seller's seats in use, its samples all together: how many, the least, the most, their sum. */
    const sellerSeats = async () => {
      const seller = (await entitlementEventPoints(system, fleet.licenseArn)).filter(
        (p) => p.account_id === SELLER.accountId && p.metric_name === 'LicenseEntitlementUsageCount',
      );
      return {
        samples: samplesIn(seller),
        minimum: Math.min(...seller.map((p) => p.minimum)),
        maximum: Math.max(...seller.map((p) => p.maximum)),
        sum: seller.reduce((sum, p) => sum + p.sum, 0),
      };
    };
    await checkOut(8);
    // Killed while the next checkouts' events are published, and down for a while.
    const killing = system.kill('reporting', 'SIGKILL').then(() => new Promise((r) => setTimeout(r, 1_000)));
    await checkOut(8);
    await killing;
    // The crash hit live traffic: reporting died before it had applied the events of the 16 checkouts made.
    expect((await sellerSeats()).samples).toBeLessThan(1 + 16);
    await system.restart('reporting');
    await checkOut(8);
    // The killed replica's unacknowledged events come back after JetStream's ack wait (5 s here).
    await eventually(sellerSeats, (seats) => seats.maximum === 24, 'the seller seeing 24 seats', 60_000);
    await settled(system);
    // A sample at the creation and one per checkout, each exactly once: 0, 1, ..., 24.
    expect(await sellerSeats()).toEqual({ samples: 25, minimum: 0, maximum: 24, sum: (24 * 25) / 2 });
  }, 150_000);
});

/**
 * The event-made data points of the entitlement metrics (hourly ones depend on when the sweep ran),
 * as every reader of them sees them: each series' statistic set per minute.
 */
function entitlementEventPoints(system: RunningSystem, licenseArn?: string) {
  return statisticsPerMinute(
    system.databaseUrl,
    `metric_name like '%LicenseEntitlement%' and source is null and dimensions_key like $1`,
    [`%${licenseArn ?? ''}%`],
  );
}

/** Until JetStream holds nothing more for the entitlement usage consumer (any redelivery has been answered). */
async function settled(system: RunningSystem): Promise<void> {
  const nc = await connect({ servers: process.env.NATS_URL });
  try {
    const jsm = await nc.jetstreamManager();
    await eventually(
      () => jsm.consumers.info(eventsStreamName(system.natsNamespace), 'reporting-grants-events'),
      (info) => info.num_pending === 0 && info.num_ack_pending === 0,
      'the consumer to settle',
      60_000,
    );
  } finally {
    await nc.close();
  }
}

/** usage-metrics-organization-boto3.py as `account`: what a Python dashboard of the organization reads. */
function boto3Sum(system: RunningSystem, account: Account, metricName: string, start: Date, end: Date) {
  const { accessKeyId, secretAccessKey } = credentialsOf(account);
  return new Promise<{ owningAccounts: string[]; results: unknown[] }>((resolve, reject) =>
    execFile(
      'python3',
      [
        join(__dirname, 'usage-metrics-organization-boto3.py'),
        system.endpoint,
        system.region,
        metricName,
        String(start.getTime() / 1000),
        String(end.getTime() / 1000),
      ],
      {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          AWS_ACCESS_KEY_ID: accessKeyId,
          AWS_SECRET_ACCESS_KEY: secretAccessKey,
          AWS_CONFIG_FILE: '/dev/null',
        },
        timeout: 60_000,
      },
      (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(JSON.parse(out))),
    ),
  );
}
