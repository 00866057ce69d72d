import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateLicenseConfigurationCommand,
  GetLicenseConfigurationCommand,
  ListLicenseConfigurationsCommand,
  UpdateLicenseConfigurationCommand,
} from '@aws-sdk/client-license-manager';
import { createEventStore, rebuildProjection } from '@lm/event-store';
import { Kysely, PostgresDialect } from 'kysely';
import { Client, Pool } from 'pg';
import { licenseConfigurationsProjection } from '../../services/licensing/src/configurations/application/license-configuration.projection';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licenseManager } from '../support/clients';
import { isUnanswered, killAndRestart, LoadRecord, unansweredOutside } from '../support/crash';
import { accounts, startSystem, type RunningSystem } from '../support/system';

describe('kill -9 in the middle of a write load', () => {
  let system: RunningSystem;
  beforeAll(async () => {
    system = await startSystem({ LM_QUOTA_LICENSE_CONFIGURATIONS: '100000' });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('loses no acknowledged write and the views converge', async () => {
    const client = licenseManager(system, accounts.management);
    const acknowledgedCreates = new Set<string>();
    const acknowledgedUpdates = new Set<string>();
    const record = new LoadRecord();
    let running = true;

    // Only requests the crashes left unanswered may fail; their outcome is unknown, so the writer moves on.
    const writer = async (worker: number) => {
      for (let i = 0; running; i++) {
        try {
          const { LicenseConfigurationArn: arn } = await record.send(() =>
            client.send(
              new CreateLicenseConfigurationCommand({
                Name: `w${worker}-${i}`,
                LicenseCountingType: 'vCPU',
                LicenseCount: 10,
              }),
            ),
          );
          acknowledgedCreates.add(arn!);
          await record.send(() =>
            client.send(
              new UpdateLicenseConfigurationCommand({ LicenseConfigurationArn: arn, Description: 'updated' }),
            ),
          );
          acknowledgedUpdates.add(arn!);
        } catch (error) {
          if (!isUnanswered(error)) throw error;
          await sleep(20);
        }
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, (_, w) => writer(w)));
    // A writer that fails early is reported below, once the system is whole again.
    load.catch(() => undefined);

    await sleep(1_000);
    const inFlightAtKill = record.inFlight;
    const licensingKilledAt = Date.now();
    await system.kill('licensing', 'SIGKILL');
    const health = await fetch(`${system.endpoint}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ healthy: false, nats: true, services: { licensing: false } });
    await sleep(500);
    await system.restart('licensing');
    const licensingOutage = { killedAt: licensingKilledAt, restoredAt: Date.now(), inFlightAtKill };
    await sleep(1_000);
    const gatewayOutage = await killAndRestart(system, 'gateway', record, 500);
    await sleep(1_000);
    running = false;
    await load;

    // Each kill caught requests on the wire, and only requests caught by an outage went unanswered.
    expect(licensingOutage.inFlightAtKill).toBeGreaterThan(0);
    expect(gatewayOutage.inFlightAtKill).toBeGreaterThan(0);
    expect(record.unanswered.length).toBeGreaterThan(0);
    expect(unansweredOutside(record, licensingOutage, gatewayOutage)).toEqual([]);
    expect(acknowledgedCreates.size).toBeGreaterThan(20);

    for (const arn of acknowledgedCreates) {
      const read = await client.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn: arn }));
      if (acknowledgedUpdates.has(arn)) expect(read.Description).toBe('updated');
    }

    const listed = new Set<string>();
    let token: string | undefined;
    do {
      const page = await client.send(new ListLicenseConfigurationsCommand({ MaxResults: 100, NextToken: token }));
      page.LicenseConfigurations!.forEach((c) => listed.add(c.LicenseConfigurationArn!));
      token = page.NextToken;
    } while (token);
    for (const arn of acknowledgedCreates) expect(listed.has(arn)).toBe(true);

    // The views hold exactly what the event store holds: one row per created stream, counted once.
    const db = new Client({ connectionString: system.databaseUrl });
    await db.connect();
    try {
      const streams = await db.query(
        `select count(distinct stream_name)::int as n from licensing.events where type = 'LicenseConfigurationCreated'`,
      );
      const rows = await db.query(`select count(*)::int as n from licensing.license_configurations`);
      const counted = await db.query(
        `select coalesce(sum(count), 0)::int as n from licensing.license_configuration_counts`,
      );
      const updatedInView = await db.query(
        `select count(*)::int as n from licensing.license_configurations where document->>'description' = 'updated'`,
      );
      const updatedInStore = await db.query(
        `select count(distinct stream_name)::int as n from licensing.events where type = 'LicenseConfigurationUpdated'`,
      );
      expect(rows.rows[0].n).toBe(streams.rows[0].n);
      expect(counted.rows[0].n).toBe(streams.rows[0].n);
      expect(updatedInView.rows[0].n).toBe(updatedInStore.rows[0].n);
      expect(listed.size).toBe(streams.rows[0].n);
    } finally {
      await db.end();
    }
  });

  it('rebuilds the license configurations view from the event store into the same rows', async () => {
    const db = new Kysely<any>({
      dialect: new PostgresDialect({ pool: new Pool({ connectionString: system.databaseUrl, max: 4 }) }),
    });
    const rows = () =>
      db.withSchema('licensing').selectFrom('license_configurations').selectAll().orderBy('id').execute();
    try {
      const live = await rows();
      expect(live.length).toBeGreaterThan(20);
      const store = await createEventStore({ kind: 'postgres', db, schema: 'licensing' });
      await rebuildProjection(store, db, licenseConfigurationsProjection);
      expect(await rows()).toEqual(live);
      await store.close();
    } finally {
      await db.destroy();
    }
  });
});
