import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type RunningSystem } from '../support/system';
import { generateAccounts, writeCredentialsFile, type CredentialsFile } from './load-accounts';
import { expectOk, expectSane } from './load-checks';
import { runLoad, type LoadResult } from './measure';
import { pgbenchUpdateRate, type PgbenchResult } from './pgbench';
import { runConditions } from './report';
import { figures, formatTable, percent, type TargetCheck } from './table';
import { createLoadAgent, SignedHttpClient } from './signed-http-client';

const CLIENT_COUNTS = [1, 16, 64];
/** Far more seats than clients, so that no pair is ever refused for want of one. */
const SEATS = 1_000;
const BENEFICIARY = 'customer@example.com';
const RESULTS_FILE = join(__dirname, 'results/checkout.json');

interface CheckoutRow {
  clients: number;
  /** One CheckoutLicense (PROVISIONAL, one seat) and the CheckInLicense of its token, back to back. */
  pairs: LoadResult;
  /** pgbench UPDATE of one and the same row: the floor for writes that all go through one licence. */
  pgbench: PgbenchResult;
}

const toPgbench = (row: CheckoutRow) => row.pairs.throughput / row.pgbench.tps;

function checkTargets(rows: CheckoutRow[]): TargetCheck[] {
  const at16 = rows.find((row) => row.clients === 16);
  if (!at16) return [];
  return [
    {
      name: 'Checkout + check-in pairs at 16 clients >= 30% of pgbench one-row UPDATE',
      actual: percent(toPgbench(at16)),
      met: toPgbench(at16) >= 0.3,
    },
    {
      name: 'Pair p99 at 16 clients <= 25 ms',
      actual: `${at16.pairs.p99Ms.toFixed(1)} ms`,
      met: at16.pairs.p99Ms <= 25,
    },
  ];
}

function formatReport(rows: CheckoutRow[]): string {
  const header = ['clients', 'pairs/s', 'p50 ms', 'p99 ms', 'err', 'pgbench UPDATE tps', 'pairs/pgbench'];
  const body = rows.map((row) => [
    String(row.clients),
    ...figures(row.pairs),
    row.pgbench.tps.toFixed(0),
    percent(toPgbench(row)),
  ]);
  const errors = rows
    .filter((row) => row.pairs.firstError)
    .map((row) => `  first error at ${row.clients} clients: ${row.pairs.firstError}`);
  return [
    'CheckoutLicense (PROVISIONAL) + CheckInLicense pairs on one licence through the gateway (SigV4, lean awsJson client)',
    'vs pgbench UPDATE of one row on the same PostgreSQL',
    runConditions(rows[0]?.pgbench),
    '',
    ...formatTable(header, body),
    '',
    'A pair is one checkout of one seat, its signed token (PS384, RSA 2048) and the check-in of its consumption token;',
    "every pair appends two events to the licence's one usage stream. p50 and p99 are of whole pairs.",
    '',
    'Targets:',
    ...checkTargets(rows).map((t) => `  ${t.met ? 'PASS' : 'MISS'}  ${t.name}: ${t.actual}`),
    ...errors,
  ].join('\n');
}

function writeJsonReport(rows: CheckoutRow[]): void {
  mkdirSync(dirname(RESULTS_FILE), { recursive: true });
  const report = {
    measuredAt: new Date().toISOString(),
    cores: availableParallelism(),
    node: process.version,
    rows: rows.map((row) => ({ ...row, pairsToPgbench: toPgbench(row) })),
    targets: checkTargets(rows),
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
  let client: SignedHttpClient;
  let product: { ProductSKU: string; KeyFingerprint: string; LicenseArn: string };

  const call = async (operation: string, input: unknown) => JSON.parse(expectOk(await client.call(operation, input)));

  const pair = async () => {
    const { LicenseConsumptionToken } = await call('CheckoutLicense', {
      ProductSKU: product.ProductSKU,
      KeyFingerprint: product.KeyFingerprint,
      CheckoutType: 'PROVISIONAL',
      Entitlements: [{ Name: 'Seats', Unit: 'Count', Value: '1' }],
      Beneficiary: BENEFICIARY,
      ClientToken: randomUUID(),
    });
    await call('CheckInLicense', { LicenseConsumptionToken, Beneficiary: BENEFICIARY });
  };

  beforeAll(async () => {
    credentialsFile = await writeCredentialsFile([account]);
    system = await startSystem({ LM_CREDENTIALS_FILE: credentialsFile.path });
    client = new SignedHttpClient({
      endpoint: system.endpoint,
      region: system.region,
      credentials: account.accessKeys[0],
      agent,
    });
    const kms = new SignedHttpClient({
      endpoint: system.endpoint,
      region: system.region,
      credentials: account.accessKeys[0],
      agent,
      service: 'kms',
      targetPrefix: 'TrentService',
    });
    const key = JSON.parse(expectOk(await kms.call('CreateKey', { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' })));
    const now = Date.now();
    const { LicenseArn } = await call('CreateLicense', {
      LicenseName: 'Floating seats',
      ProductName: 'Load',
      ProductSKU: 'load-seats',
      Issuer: { Name: 'Load ISV', SignKey: key.KeyMetadata.Arn },
      HomeRegion: system.region,
      Validity: { Begin: new Date(now - 86_400_000).toISOString() },
      Entitlements: [{ Name: 'Seats', Unit: 'Count', MaxCount: SEATS, AllowCheckIn: true }],
      Beneficiary: BENEFICIARY,
      ConsumptionConfiguration: { ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } },
      ClientToken: randomUUID(),
    });
    const { License } = await call('GetLicense', { LicenseArn });
    product = { ProductSKU: 'load-seats', KeyFingerprint: License.Issuer.KeyFingerprint, LicenseArn };
  });

  afterAll(async () => {
    if (rows.length > 0) {
      console.log(formatReport(rows));
      writeJsonReport(rows);
    }
    agent.destroy();
    await system?.stop();
    await credentialsFile?.remove();
  });

  it('checks out and in as the API says, leaving nothing in use', async () => {
    await pair();
    const usage = await call('GetLicenseUsage', { LicenseArn: product.LicenseArn });
    expect(usage.LicenseUsage.EntitlementUsages).toEqual([
      { Name: 'Seats', Unit: 'Count', ConsumedValue: '0', MaxCount: String(SEATS) },
    ]);
  });

  it.each(CLIENT_COUNTS)(
    'measures checkout + check-in pairs and pgbench one-row UPDATE at %i clients',
    async (count) => {
      const pairs = await runLoad(pair, { clients: count });
      const pgbench = await pgbenchUpdateRate(system.databaseUrl, count);
      rows.push({ clients: count, pairs, pgbench });
      expectSane(pairs);
      expect(pgbench.tps).toBeGreaterThan(0);
      const usage = await call('GetLicenseUsage', { LicenseArn: product.LicenseArn });
      expect(usage.LicenseUsage.EntitlementUsages[0].ConsumedValue).toBe('0');
    },
  );
});
