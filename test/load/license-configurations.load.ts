import { join } from 'node:path';
import { GetLicenseConfigurationCommand } from '@aws-sdk/client-license-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licenseManager } from '../support/clients';
import { startSystem, type RunningSystem } from '../support/system';
import { startFloor, type Floor } from './floor';
import { measureFloor } from './floor-comparison';
import { generateAccounts, writeCredentialsFile, type CredentialsFile } from './load-accounts';
import { expectOk, expectSane } from './load-checks';
import { runLoad } from './measure';
import { analyzeTables } from './planner-statistics';
import { pgbenchInsertRate } from './pgbench';
import { formatReport, writeJsonReport, type LoadRow } from './report';
import { clientsOf, createLoadAgent, type SignedHttpClient } from './signed-http-client';
import { warmUpFloor, warmUpSystem } from './warm-up';

const CLIENT_COUNTS = [1, 16, 64];
const RESULTS_FILE = join(__dirname, 'results/latest.json');
/**
 * The default quota of 25 configurations per account would stop a run within its first second:
 * a 5-second window creates hundreds per account, and all of them in one account for the
 * single-account figures.
 */
const QUOTA_FOR_THE_RUN = '1000000';

describe('license configurations under load', () => {
  /** Simulated client i signs as account i, as a fleet of accounts would. */
  const accounts = generateAccounts(Math.max(...CLIENT_COUNTS));
  const agent = createLoadAgent();
  /** The configurations created so far, by account: what that account's Gets read. */
  const arns: string[][] = accounts.map(() => []);
  const rows: LoadRow[] = [];
  let credentialsFile: CredentialsFile;
  let system: RunningSystem;
  let clients: SignedHttpClient[];
  let floor: Floor;

  beforeAll(async () => {
    credentialsFile = await writeCredentialsFile(accounts);
    system = await startSystem({
      LM_CREDENTIALS_FILE: credentialsFile.path,
      LM_QUOTA_LICENSE_CONFIGURATIONS: QUOTA_FOR_THE_RUN,
    });
    clients = clientsOf(system, accounts, agent);
    floor = await startFloor(system.databaseUrl);
    // Both paths in turn, every client in its own account (so each has configurations to read).
    await Promise.all(accounts.map((_, account) => createIn(account, 'warm-up')));
    let step = 0;
    await warmUpSystem((client) => (step++ % 2 === 0 ? createIn(client, 'warm-up') : getOwn(client)));
    await warmUpFloor(floor, accounts[0].accessKeys[0], agent);
  }, 120_000);

  afterAll(async () => {
    if (rows.length > 0) {
      console.log(formatReport(rows));
      writeJsonReport(RESULTS_FILE, rows);
    }
    agent.destroy();
    await floor?.stop();
    await system?.stop();
    await credentialsFile?.remove();
  });

  const createIn = async (account: number, name: string) => {
    const body = expectOk(
      await clients[account].call('CreateLicenseConfiguration', {
        Name: name,
        LicenseCountingType: 'vCPU',
        LicenseCount: 100,
      }),
    );
    arns[account].push(JSON.parse(body).LicenseConfigurationArn);
  };

  const getOwn = async (account: number) => {
    const own = arns[account];
    expectOk(
      await clients[account].call('GetLicenseConfiguration', {
        LicenseConfigurationArn: own[Math.floor(Math.random() * own.length)],
      }),
    );
  };

  it('signs requests the gateway verifies, and reads what the SDK reads', async () => {
    await createIn(0, 'signing-check');
    const arn = arns[0][0];
    const sdk = licenseManager(system, accounts[0]);
    try {
      const { $metadata: _metadata, ...viaSdk } = await sdk.send(
        new GetLicenseConfigurationCommand({ LicenseConfigurationArn: arn }),
      );
      const lean = await clients[0].call('GetLicenseConfiguration', { LicenseConfigurationArn: arn });
      expect(lean.status, lean.body).toBe(200);
      expect(JSON.parse(lean.body)).toEqual(viaSdk);
    } finally {
      sdk.destroy();
    }
  });

  it.each(CLIENT_COUNTS)('measures Create, Get, the floor and pgbench INSERT at %i clients', async (count) => {
    await analyzeTables(system.databaseUrl);
    const create = await runLoad((client) => createIn(client, `load-${count}-${client}`), { clients: count });
    // The worst case: one account's creates all wait on its quota counter row.
    const createOneAccount = await runLoad((client) => createIn(0, `load-one-account-${count}-${client}`), {
      clients: count,
    });
    // Every client created in its own account above, so each has configurations to read.
    await analyzeTables(system.databaseUrl);
    const get = await runLoad(getOwn, { clients: count });
    // pgbench first: its connections and the floor's pool together would pass max_connections at 64.
    const pgbench = await pgbenchInsertRate(system.databaseUrl, count);
    const floorFigures = await measureFloor(floor, count, accounts[0].accessKeys[0], agent);
    rows.push({ clients: count, create, createOneAccount, get, pgbench, floor: floorFigures });

    expectSane(create);
    expectSane(createOneAccount);
    expectSane(get);
    expectSane(floorFigures.insert);
    expectSane(floorFigures.select);
    expect(pgbench.tps).toBeGreaterThan(0);
  });
});
