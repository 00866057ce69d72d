import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSystem, type RunningSystem } from '../support/system';
import {
  formatAdmissionReport,
  writeAdmissionJsonReport,
  type AdmissionRow,
  type HotDrift,
} from './launch-admission-report';
import { startFloor, type Floor } from './floor';
import { measureFloorInsert } from './floor-comparison';
import { generateAccounts, writeCredentialsFile, type CredentialsFile } from './load-accounts';
import { expectOk, expectSane } from './load-checks';
import { runLoad } from './measure';
import { warmUpFloor, warmUpSystem } from './warm-up';
import { analyzeTables } from './planner-statistics';
import { pgbenchUpdateRate } from './pgbench';
import { createLoadAgent, SignedHttpClient } from './signed-http-client';
import { authorizeLaunch, createConfiguration as createConfigurationIn, instanceId } from './workloads';

const CLIENT_COUNTS = [1, 16, 64];
const SPREAD_CONFIGURATIONS = 100;
/** Every admission reserves one licence: enough that no run of the suite reaches the hard limit. */
const LICENCES = 10_000_000;
/** license-configurations.load.ts writes latest.json; each load file keeps its own report. */
const RESULTS_FILE = join(__dirname, 'results/launch-admission.json');

/**
 * Where the licensing service keeps a configuration's events (its event store schema and stream
 * naming). Read only to report how long the hot stream has grown, and what reading it costs.
 */
const EVENT_STORE_SCHEMA = 'licensing';
const streamOf = (configurationArn: string) => `license-configuration-${configurationArn.split(':').pop()}`;

describe('launch admission under load', () => {
  /** All launches are in one account, which owns every configuration; it belongs to no organization. */
  const [account] = generateAccounts(1);
  const agent = createLoadAgent();
  const rows: AdmissionRow[] = [];
  let drift: HotDrift | undefined;
  let credentialsFile: CredentialsFile;
  let system: RunningSystem;
  let client: SignedHttpClient;
  let db: Client;
  let floor: Floor;
  let hot: string;
  let spread: string[];
  /** Shared by all clients, so that every admission is a new instance and reserves a licence. */
  let launched = 0;
  let nextSpread = 0;

  const createConfiguration = (name: string) =>
    createConfigurationIn(client, {
      Name: name,
      LicenseCountingType: 'Instance',
      LicenseCount: LICENCES,
      LicenseCountHardLimit: true,
    });

  /** Every admission is of an instance never used before in the run. */
  const authorize = (configurationArn: string) => authorizeLaunch(client, configurationArn, instanceId(launched++));

  const admitHot = async () => expectOk(await authorize(hot));
  const admitSpread = async () => expectOk(await authorize(spread[nextSpread++ % spread.length]));

  const streamEvents = async (arn: string) => {
    const { rows: found } = await db.query(`select version from ${EVENT_STORE_SCHEMA}.streams where stream_name = $1`, [
      streamOf(arn),
    ]);
    return Number(found[0]?.version ?? 0);
  };

  /** The median of a few whole reads of the stream, the query every admission's decision starts with. */
  const timeStreamRead = async (arn: string) => {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      await db.query(`select * from ${EVENT_STORE_SCHEMA}.events where stream_name = $1 order by stream_version`, [
        streamOf(arn),
      ]);
      times.push(performance.now() - started);
    }
    return times.sort((a, b) => a - b)[2];
  };

  beforeAll(async () => {
    credentialsFile = await writeCredentialsFile([account]);
    // The default quota of 25 configurations per account is below the spread case's 100.
    system = await startSystem({
      LM_CREDENTIALS_FILE: credentialsFile.path,
      LM_QUOTA_LICENSE_CONFIGURATIONS: String(SPREAD_CONFIGURATIONS + 10),
    });
    client = new SignedHttpClient({
      endpoint: system.endpoint,
      region: system.region,
      credentials: account.accessKeys[0],
      agent,
    });
    floor = await startFloor(system.databaseUrl);
    db = new Client({ connectionString: system.databaseUrl });
    await db.connect();
    hot = await createConfiguration('hot');
    spread = [];
    for (let i = 0; i < SPREAD_CONFIGURATIONS; i++) spread.push(await createConfiguration(`spread-${i}`));
    // A configuration of its own for the hot path's warm-up: the hot stream starts each run at its first events.
    const warmUpHot = await createConfiguration('warm-up');
    let step = 0;
    await warmUpSystem(async () => (step++ % 2 === 0 ? expectOk(await authorize(warmUpHot)) : admitSpread()));
    await warmUpFloor(floor, account.accessKeys[0], agent);
  }, 120_000);

  afterAll(async () => {
    if (rows.length > 0) {
      const report = { spreadConfigurations: SPREAD_CONFIGURATIONS, rows, drift };
      console.log(formatAdmissionReport(report));
      writeAdmissionJsonReport(RESULTS_FILE, report);
    }
    agent.destroy();
    await db?.end();
    await floor?.stop();
    await system?.stop();
    await credentialsFile?.remove();
  });

  it('admits through the lean restJson client as the launch-admission contract says', async () => {
    const response = await authorize(hot);
    expect(response.status, response.body).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ Authorized: true, LicenseConfigurationArns: [hot] });
    const configuration = JSON.parse(
      expectOk(await client.call('GetLicenseConfiguration', { LicenseConfigurationArn: hot })),
    );
    expect(configuration.ConsumedLicenses).toBe(1);
  });

  it.each(CLIENT_COUNTS)(
    'measures hot and spread admissions, the floor and pgbench one-row UPDATE at %i clients',
    async (count) => {
      await analyzeTables(system.databaseUrl);
      const before = await streamEvents(hot);
      const hotResult = await runLoad(admitHot, { clients: count });
      const hotStream = { before, after: await streamEvents(hot) };
      const spreadResult = await runLoad(admitSpread, { clients: count });
      // pgbench first: its connections and the floor's pool together would pass max_connections at 64.
      const pgbench = await pgbenchUpdateRate(system.databaseUrl, count);
      const { result: floorInsert } = await measureFloorInsert(floor, count, account.accessKeys[0], agent);
      rows.push({ clients: count, hot: hotResult, spread: spreadResult, pgbench, floorInsert, hotStream });

      expectSane(hotResult);
      expectSane(spreadResult);
      expectSane(floorInsert);
      expect(pgbench.tps).toBeGreaterThan(0);
    },
  );

  // Every admission reads the hot configuration's whole stream and appends to it: the same
  // single-client run once the other counts have grown it shows what that costs.
  it('measures hot admissions at 1 client again, once the stream has grown', async () => {
    const first = rows.find((row) => row.clients === 1);
    expect(first, 'the 1-client row is the baseline').toBeDefined();
    await analyzeTables(system.databaseUrl);
    const streamBefore = await streamEvents(hot);
    const last = await runLoad(admitHot, { clients: 1 });
    const events = await streamEvents(hot);
    drift = {
      first: { result: first!.hot, streamEvents: first!.hotStream.before },
      last: { result: last, streamEvents: streamBefore },
      streamRead: { events, ms: await timeStreamRead(hot) },
    };
    expectSane(last);
  });
});
