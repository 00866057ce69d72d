import { Agent } from 'node:http';
import { join } from 'node:path';
import {
  CreateLicenseConfigurationCommand,
  GetLicenseConfigurationCommand,
  LicenseManagerClient,
} from '@aws-sdk/client-license-manager';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, credentialsOf, startSystem, type RunningSystem } from '../support/system';
import { runLoad, type LoadResult } from './measure';
import { pgbenchInsertRate } from './pgbench';
import { formatReport, writeJsonReport, type LoadRow } from './report';

const CLIENT_COUNTS = [1, 16, 64];
const RESULTS_FILE = join(__dirname, 'results/latest.json');
/** Failures tolerated before a figure is considered meaningless. */
const MAX_ERROR_RATE = 0.001;

/**
 * One SDK client shared by every simulated client, with a keep-alive agent that has more
 * sockets than clients: the SDK's default agent would otherwise queue requests and the figures
 * would measure the client, not the system.
 */
function loadClient(system: RunningSystem): LicenseManagerClient {
  return new LicenseManagerClient({
    endpoint: system.endpoint,
    region: system.region,
    credentials: credentialsOf(accounts.management),
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 128 }) }),
  });
}

function expectSane(result: LoadResult): void {
  expect(result.errors, result.firstError).toBeLessThanOrEqual(Math.floor((result.requests + result.errors) * MAX_ERROR_RATE));
  expect(result.requests).toBeGreaterThan(0);
  expect(result.throughput).toBeGreaterThan(0);
  expect(result.p50Ms).toBeGreaterThan(0);
  expect(result.p99Ms).toBeGreaterThan(0);
}

describe('license configurations under load', () => {
  let system: RunningSystem;
  let client: LicenseManagerClient;
  /** Every configuration created so far: what Get reads, picked at random. */
  const arns: string[] = [];
  const rows: LoadRow[] = [];

  beforeAll(async () => {
    // The quota counts every configuration the run creates, in one account.
    system = await startSystem({ LM_QUOTA_LICENSE_CONFIGURATIONS: '10000000' });
    client = loadClient(system);
  });

  afterAll(async () => {
    if (rows.length > 0) {
      console.log(formatReport(rows));
      writeJsonReport(RESULTS_FILE, rows);
    }
    client?.destroy();
    await system?.stop();
  });

  it.each(CLIENT_COUNTS)('measures Create, Get and pgbench INSERT at %i clients', async (clients) => {
    const create = await runLoad(async (index) => {
      const { LicenseConfigurationArn } = await client.send(
        new CreateLicenseConfigurationCommand({ Name: `load-${clients}-${index}`, LicenseCountingType: 'vCPU', LicenseCount: 100 }),
      );
      arns.push(LicenseConfigurationArn!);
    }, { clients });
    const get = await runLoad(
      () => client.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn: arns[Math.floor(Math.random() * arns.length)] })),
      { clients },
    );
    const pgbench = await pgbenchInsertRate(system.databaseUrl, clients);
    rows.push({ clients, create, get, pgbench });

    expectSane(create);
    expectSane(get);
    expect(pgbench.tps).toBeGreaterThan(0);
  });
});
