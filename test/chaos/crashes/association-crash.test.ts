import {
  CreateLicenseConfigurationCommand,
  GetLicenseConfigurationCommand,
  UpdateLicenseSpecificationsForResourceCommand,
} from '@aws-sdk/client-license-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { associationsOf, licenseManager } from '../../support/clients';
import { crashDuringLoad, LoadRecord, unansweredOutside, untilAnswered, withSystemDatabase } from '../../support/crash';
import { reportResources } from '../../support/inventory';
import { accounts, startSystem, type RunningSystem } from '../../support/system';

describe('kill -9 of licensing in the middle of associations', () => {
  let system: RunningSystem;
  beforeAll(async () => {
    // Requests caught by the crash fail after 3 s instead of the default 30 s.
    system = await startSystem({ LM_OPERATION_TIMEOUT_MS: '3000' });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('counts no licence twice and loses none', async () => {
    const client = licenseManager(system, accounts.management);
    const config = (
      await client.send(
        new CreateLicenseConfigurationCommand({
          Name: 'crash',
          LicenseCountingType: 'vCPU',
          LicenseCount: 100_000,
          LicenseCountHardLimit: true,
        }),
      )
    ).LicenseConfigurationArn!;
    const instances = await reportResources(
      system,
      Array.from({ length: 400 }, (_, i) => ({
        accountId: '111111111111',
        resourceId: `i-0f${i.toString(16).padStart(15, '0')}`,
        resourceType: 'EC2_INSTANCE' as const,
        state: 'running',
        vCpuCount: 2,
      })),
    );
    const record = new LoadRecord();
    const acknowledged = new Set<string>();
    let next = 0;
    // Each association is asked until it is answered (adding a configuration a resource already has changes
    // nothing), so that every resource the load took ends known; any answer but success fails the test.
    const worker = async (running: () => boolean) => {
      while (running() && next < instances.length) {
        const arn = instances[next++];
        const { settled } = await untilAnswered(record, () =>
          client.send(
            new UpdateLicenseSpecificationsForResourceCommand({
              ResourceArn: arn,
              AddLicenseSpecifications: [{ LicenseConfigurationArn: config }],
            }),
          ),
        );
        if (settled.status === 'rejected') throw settled.reason;
        acknowledged.add(arn);
      }
    };
    const outage = await crashDuringLoad(system, 'licensing', record, (running) =>
      Promise.all(Array.from({ length: 8 }, () => worker(running))),
    );
    // The kill caught requests on the wire, and only requests caught by the outage went unanswered.
    expect(outage.inFlightAtKill).toBeGreaterThan(0);
    expect(record.unanswered.length).toBeGreaterThan(0);
    expect(unansweredOutside(record, outage)).toEqual([]);
    expect(acknowledged.size).toBeGreaterThan(10);

    const listed = new Set((await associationsOf(client, config)).map((a) => a.ResourceArn!));
    // Every request was answered: exactly the acknowledged resources are associated.
    expect(listed).toEqual(acknowledged);
    // Each associated instance counts its 2 vCPUs exactly once.
    expect(
      (await client.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn: config }))).ConsumedLicenses,
    ).toBe(listed.size * 2);

    // The configuration's events, the resources' specifications and the views agree.
    await withSystemDatabase(system, async (db) => {
      const associatedEvents = await db.query(
        `select count(*)::int as n from licensing.events where type = 'ResourceAssociated' and stream_name = $1`,
        [`license-configuration-${config.split(':').pop()}`],
      );
      const specifications = await db.query(
        `select count(*)::int as n from licensing.events where type = 'LicenseSpecificationsUpdated' and data->'added' @> $1::jsonb`,
        [JSON.stringify([{ licenseConfigurationArn: config }])],
      );
      const rows = await db.query(
        `select count(*)::int as n, coalesce(sum(consumed_licenses), 0)::int as consumed from licensing.license_configuration_associations`,
      );
      expect(associatedEvents.rows[0].n).toBe(listed.size);
      expect(specifications.rows[0].n).toBe(listed.size);
      expect(rows.rows[0]).toEqual({ n: listed.size, consumed: listed.size * 2 });
    });
  });
});
