import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type RunningSystem } from '../support/system';
import { startFloor, type Floor } from './floor';
import {
  checkFloorTargets,
  formatFloorComparison,
  measureFloorInsert,
  type FloorComparison,
  type FloorTarget,
} from './floor-comparison';
import { generateAccounts, writeCredentialsFile, type CredentialsFile } from './load-accounts';
import { expectOk, expectSane } from './load-checks';
import { runLoad, type LoadResult } from './measure';
import { analyzeTables } from './planner-statistics';
import { pgbenchUpdateRate, type PgbenchResult } from './pgbench';
import { runConditions } from './report';
import { figures, formatTable, percent } from './table';
import { createLoadAgent, SignedHttpClient } from './signed-http-client';
import { alternatingCheckouts, createSeatLicence, type CheckoutProduct } from './workloads';
import { warmUpFloor, warmUpSystem } from './warm-up';

const CLIENT_COUNTS = [1, 16, 64];
/** Far more seats than clients, so that no checkout is ever refused for want of one. */
const SEATS = 1_000;
const RESULTS_FILE = join(__dirname, 'results/checkout.json');
const OPERATION = 'CheckoutLicense + CheckInLicense';

interface CheckoutRow {
  clients: number;
  /** Each client checks out one seat (PROVISIONAL) and checks it in, each request timed and counted on its own. */
  requests: LoadResult;
  /** pgbench UPDATE of one and the same row: every request goes through one licence. */
  pgbench: PgbenchResult;
  /** The bare floor's one-row INSERT. */
  floorInsert: LoadResult;
}

/** Issue 14's target: requests, not pairs, against the floor's INSERT. */
const FLOOR_TARGETS: FloorTarget[] = [{ operation: OPERATION, minRatio: 0.4, maxP99Ratio: 3 }];

const floorComparisons = (rows: CheckoutRow[]): FloorComparison[] =>
  rows.map((row) => ({
    operation: OPERATION,
    clients: row.clients,
    product: row.requests,
    statement: 'INSERT',
    floor: row.floorInsert,
  }));

const toPgbench = (row: CheckoutRow) => row.requests.throughput / row.pgbench.tps;

function formatReport(rows: CheckoutRow[]): string {
  const header = ['clients', 'req/s', 'p50 ms', 'p99 ms', 'err', 'pgbench UPDATE tps', 'req/pgbench'];
  const body = rows.map((row) => [
    String(row.clients),
    ...figures(row.requests),
    row.pgbench.tps.toFixed(0),
    percent(toPgbench(row)),
  ]);
  const errors = rows
    .filter((row) => row.requests.firstError)
    .map((row) => `  first error at ${row.clients} clients: ${row.requests.firstError}`);
  return [
    'CheckoutLicense (PROVISIONAL) and CheckInLicense on one licence through the gateway (SigV4, lean awsJson client)',
    'vs pgbench UPDATE of one row on the same PostgreSQL',
    runConditions(rows[0]?.pgbench),
    '',
    ...formatTable(header, body),
    '',
    'Each client checks out one seat (its signed token: PS384, RSA 2048) and then checks in its consumption token;',
    "every request appends one event to the licence's one usage stream. Requests are timed and counted one by one.",
    '',
    formatFloorComparison(floorComparisons(rows), FLOOR_TARGETS),
    ...errors,
  ].join('\n');
}

function writeJsonReport(rows: CheckoutRow[]): void {
  mkdirSync(dirname(RESULTS_FILE), { recursive: true });
  const report = {
    measuredAt: new Date().toISOString(),
    cores: availableParallelism(),
    node: process.version,
    rows: rows.map((row) => ({ ...row, requestsToPgbench: toPgbench(row) })),
    targets: checkFloorTargets(floorComparisons(rows), FLOOR_TARGETS),
  };
  writeFileSync(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
}

describe('licence checkout and check-in under load', () => {
  /** The issuer checks out on behalf of its customer (Beneficiary): one account, one licence. */
  const [account] = generateAccounts(1);
  const agent = createLoadAgent();
  const rows: CheckoutRow[] = [];
  let credentialsFile: CredentialsFile;
  let system: RunningSystem;
  let floor: Floor;
  let client: SignedHttpClient;
  let product: CheckoutProduct;

  const usage = async () =>
    JSON.parse(expectOk(await client.call('GetLicenseUsage', { LicenseArn: product.LicenseArn }))).LicenseUsage;

  beforeAll(async () => {
    credentialsFile = await writeCredentialsFile([account]);
    system = await startSystem({ LM_CREDENTIALS_FILE: credentialsFile.path });
    floor = await startFloor(system.databaseUrl);
    client = new SignedHttpClient({
      endpoint: system.endpoint,
      region: system.region,
      credentials: account.accessKeys[0],
      agent,
    });
    product = await createSeatLicence(client, system.region, SEATS);
    const warmUp = alternatingCheckouts(client, product);
    await warmUpSystem(warmUp.next);
    await warmUp.settle();
    await warmUpFloor(floor, account.accessKeys[0], agent);
  }, 120_000);

  afterAll(async () => {
    if (rows.length > 0) {
      console.log(formatReport(rows));
      writeJsonReport(rows);
    }
    agent.destroy();
    await floor?.stop();
    await system?.stop();
    await credentialsFile?.remove();
  });

  it('checks out and in as the API says, leaving nothing in use', async () => {
    const checkouts = alternatingCheckouts(client, product);
    await checkouts.next(0);
    expect((await usage()).EntitlementUsages[0].ConsumedValue).toBe('1');
    await checkouts.next(0);
    expect((await usage()).EntitlementUsages).toEqual([
      { Name: 'Seats', Unit: 'Count', ConsumedValue: '0', MaxCount: String(SEATS) },
    ]);
  });

  it.each(CLIENT_COUNTS)(
    'measures checkouts and check-ins, the floor and pgbench one-row UPDATE at %i clients',
    async (count) => {
      await analyzeTables(system.databaseUrl);
      const checkouts = alternatingCheckouts(client, product);
      const requests = await runLoad(checkouts.next, { clients: count });
      await checkouts.settle();
      // pgbench first: its connections and the floor's pool together would pass max_connections at 64.
      const pgbench = await pgbenchUpdateRate(system.databaseUrl, count);
      const { result: floorInsert } = await measureFloorInsert(floor, count, account.accessKeys[0], agent);
      rows.push({ clients: count, requests, pgbench, floorInsert });
      expectSane(requests);
      expectSane(floorInsert);
      expect(pgbench.tps).toBeGreaterThan(0);
      expect((await usage()).EntitlementUsages[0].ConsumedValue).toBe('0');
    },
  );
});
