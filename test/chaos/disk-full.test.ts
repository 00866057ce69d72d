import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateLicenseConfigurationCommand,
  GetLicenseConfigurationCommand,
  ListLicenseConfigurationsCommand,
  UpdateLicenseConfigurationCommand,
  type LicenseManagerClient,
} from '@aws-sdk/client-license-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licenseConfigurationAssociationsProjection } from '../../services/licensing/src/configurations/application/license-configuration-associations.projection';
import { licenseConfigurationsProjection } from '../../services/licensing/src/configurations/application/license-configuration.projection';
import { licenseManager } from '../support/clients';
import { heldByLicensing, reportResources } from '../support/inventory';
import { accounts, startSystem, type RunningSystem } from '../support/system';
import { expectViewsEqualRebuild } from '../support/view-rebuild';
import { eventually } from './mixed-write-load';
import { startPrivatePostgres, type PrivatePostgres } from './private-postgres';
import { mountSmallFilesystem, type SmallFilesystem } from './small-filesystem';

/** Licensing's own database and role (LICENSING_DATABASE_URL), its tablespace on the small filesystem. */
const ROLE = 'lm_chaos_licensing';
const DATABASE = 'lm_chaos_licensing';
const TABLESPACE = 'lm_chaos_small';
const MB = 1024 * 1024;
/** Room enough for the database (a copy of template1) and the services' migrations. */
const ROOMY = 128 * MB;
/** What is left once the system runs: the writes below fill it within seconds. */
const LEFT_FOR_WRITES = 256 * 1024;
const WRITERS = 4;
/** Refusals enough to know that the disk stays full for every writer, not a passing error. */
const REFUSALS_WANTED = 24;

interface Refusal {
  name: string;
  status?: number;
  message: string;
}

describe("one service's database on a filesystem that fills up under writes, then grows", () => {
  let filesystem: SmallFilesystem;
  let postgres: PrivatePostgres;
  let system: RunningSystem;
  let licensingUrl: string;
  const sharedServer = process.env.DATABASE_URL;

  beforeAll(async () => {
    // At the start, so that a machine that cannot mount says so before anything else runs.
    filesystem = mountSmallFilesystem(ROOMY);
    const tablespace = join(filesystem.path, 'tablespace');
    mkdirSync(tablespace);
    if (process.getuid?.() === 0) execFileSync('chown', ['postgres:postgres', tablespace]);
    postgres = await startPrivatePostgres();
    process.env.DATABASE_URL = postgres.url;
    await postgres.admin(
      `create role ${ROLE} login superuser`,
      `create tablespace ${TABLESPACE} location '${tablespace}'`,
      `create database ${DATABASE} owner ${ROLE} tablespace ${TABLESPACE}`,
    );
    licensingUrl = `postgres://${ROLE}@${new URL(postgres.url).host}/${DATABASE}`;
    // No quota in the way: the writes below are to fill the disk.
    system = await startSystem({ LICENSING_DATABASE_URL: licensingUrl, LM_QUOTA_LICENSE_CONFIGURATIONS: '100000' });
  });
  afterAll(async () => {
    // Room first, whatever the test left: the database is dropped with a checkpoint, which needs it.
    filesystem?.resize(ROOMY);
    await system?.stop();
    process.env.DATABASE_URL = sharedServer;
    await postgres?.dispose();
    filesystem?.dispose();
  });

  /** Every configuration's name, all pages. */
  const listedNames = async (client: LicenseManagerClient) => {
    const names: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await client.send(new ListLicenseConfigurationsCommand({ NextToken, MaxResults: 100 }));
      names.push(...page.LicenseConfigurations!.map((c) => c.Name!));
      NextToken = page.NextToken;
    } while (NextToken);
    return names.sort();
  };

  it('refuses writes 503 once the disk is full, keeps nothing of them, answers reads, and writes again once it grows', async () => {
    const client = licenseManager(system, accounts.management);
    const create = (name: string) =>
      client.send(new CreateLicenseConfigurationCommand({ Name: name, LicenseCountingType: 'vCPU', LicenseCount: 5 }));
    const { LicenseConfigurationArn: arn } = await create('before');

    filesystem.resize(filesystem.used() + LEFT_FOR_WRITES);

    // Writers create configurations, one attempt each, until the disk has refused them enough;
    // a reader reads all along.
    const acknowledged: string[] = [];
    const refused: Refusal[] = [];
    const failedReads: string[] = [];
    let reads = 0;
    let writing = true;
    const writer = async (w: number) => {
      for (let i = 0; writing; i++) {
        const name = `fill-${w}-${i}`;
        try {
          await create(name);
          acknowledged.push(name);
        } catch (error) {
          const { name: code, message, $metadata } = error as Error & { $metadata?: { httpStatusCode?: number } };
          refused.push({ name: code, status: $metadata?.httpStatusCode, message });
          if (refused.length >= REFUSALS_WANTED) writing = false;
        }
      }
    };
    const reader = async () => {
      while (writing) {
        try {
          await client.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn: arn }));
          reads++;
        } catch (error) {
          failedReads.push(`${(error as Error).name}: ${(error as Error).message}`);
        }
        await sleep(100);
      }
    };
    const timeout = setTimeout(() => (writing = false), 120_000);
    await Promise.all([...Array.from({ length: WRITERS }, (_, w) => writer(w)), reader()]);
    clearTimeout(timeout);

    // The disk filled under live writes: some were taken before, then each writer was refused.
    expect(acknowledged.length, 'writes taken before the disk was full').toBeGreaterThan(0);
    expect(refused.length, 'writes refused once full (within two minutes)').toBeGreaterThanOrEqual(REFUSALS_WANTED);
    // Each refusal is the clear "try again" of AWS, never a 500 nor the database's own words.
    for (const refusal of refused) {
      expect({ name: refusal.name, status: refusal.status }).toEqual({
        name: 'ServiceUnavailableException',
        status: 503,
      });
      expect(refusal.message).not.toMatch(/space|extend|tablespace|pg_tblspc|SQLSTATE|53100/i);
    }
    console.log(
      `disk full: ${acknowledged.length} writes taken, then ${refused.length} refused; ${reads} reads meanwhile`,
    );
    // What refused them was the disk, as licensing logs it.
    expect(system.logs('licensing')).toMatch(/No space left on device/);
    // Reads went on all along, and go on while the disk is full.
    expect(failedReads).toEqual([]);
    expect(reads).toBeGreaterThan(0);
    const whileFull = await listedNames(client);
    // Every write acknowledged is there, nothing of a refused one.
    expect(whileFull).toEqual(['before', ...acknowledged].sort());
    // Reported instances reach discovery (its database has room); licensing's consumer cannot write its copy yet.
    const reported = await reportResources(system, [
      { accountId: '111111111111', resourceId: 'i-0d0000000000000001', resourceType: 'EC2_INSTANCE', state: 'running' },
    ]);

    // Room again, with no restart: writes are taken.
    filesystem.resize(ROOMY);
    await eventually(async () => {
      await create('after');
    }, 30_000);
    expect(
      (await client.send(new UpdateLicenseConfigurationCommand({ LicenseConfigurationArn: arn, LicenseCount: 20 })))
        .$metadata.httpStatusCode,
    ).toBe(200);
    expect(await listedNames(client)).toEqual(['after', 'before', ...acknowledged].sort());
    expect((await client.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn: arn }))).LicenseCount).toBe(
      20,
    );
    // The consumer applies the inventory event that waited for room.
    await eventually(async () => expect(await heldByLicensing(licensingUrl, reported)).toEqual(reported));
    // No partial state: licensing's views hold what its events say.
    await expectViewsEqualRebuild(licensingUrl, {
      schema: 'licensing',
      projections: [licenseConfigurationsProjection, licenseConfigurationAssociationsProjection],
      tables: ['license_configurations', 'license_configuration_associations', 'license_operation_failures'],
    });
  });
});
