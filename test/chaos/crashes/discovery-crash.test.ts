import {
  CreateLicenseConfigurationCommand,
  GetLicenseConfigurationCommand,
  ListResourceInventoryCommand,
  UpdateLicenseSpecificationsForResourceCommand,
} from '@aws-sdk/client-license-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licenseManager, rawRequest } from '../../support/clients';
import { crashDuringLoad, LoadRecord, unansweredOutside, untilAnswered, withSystemDatabase } from '../../support/crash';
import { accounts, startSystem, type RunningSystem } from '../../support/system';

const OWNER = accounts.management.accountId;
const REPORTING_CLIENTS = 6;
const RESOURCES_PER_REPORT = 4;
const VCPUS = 2;

/** A ReportResources answer other than 200 as an error with its HTTP status, as the SDK's errors carry it. */
class ReportRefused extends Error {
  constructor(
    readonly $metadata: { httpStatusCode: number },
    text: string,
  ) {
    super(`ReportResources answered ${$metadata.httpStatusCode}: ${text}`);
  }
}

describe('kill -9 of discovery in the middle of inventory reports', () => {
  let system: RunningSystem;
  beforeAll(async () => {
    // Requests caught by the crash fail after 3 s instead of the default 30 s.
    system = await startSystem({ LM_OPERATION_TIMEOUT_MS: '3000' });
  });
  afterAll(async () => {
    await system?.stop();
  });

  /** One report of new instances (no response but 200 with all of them accepted is a success). */
  const report = async (resourceIds: string[]) => {
    const response = await rawRequest(system, {
      account: accounts.management,
      path: '/inventory/ReportResources',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        Resources: resourceIds.map((ResourceId) => ({
          ResourceId,
          ResourceType: 'EC2_INSTANCE',
          State: 'running',
          VCpuCount: VCPUS,
        })),
      }),
    });
    if (response.status !== 200) throw new ReportRefused({ httpStatusCode: response.status }, response.text);
    expect(response.json).toEqual({ Accepted: resourceIds.length, Failed: [] });
  };

  it('keeps every acknowledged report once, and licensing learns exactly those resources', async () => {
    const record = new LoadRecord();
    const acknowledged = new Set<string>();
    let reports = 0;
    // Each report is sent again until it is answered: reporting the same resources again changes nothing.
    const reporting = async (running: () => boolean) => {
      while (running()) {
        const ids = Array.from(
          { length: RESOURCES_PER_REPORT },
          (_, i) => `i-0d${reports.toString(16).padStart(12, '0')}${i.toString(16).padStart(3, '0')}`,
        );
        reports++;
        const { settled } = await untilAnswered(record, () => report(ids));
        if (settled.status === 'rejected') throw settled.reason;
        for (const id of ids) acknowledged.add(`arn:aws:ec2:us-east-1:${OWNER}:instance/${id}`);
      }
    };
    const outage = await crashDuringLoad(
      system,
      'discovery',
      record,
      (running) => Promise.all(Array.from({ length: REPORTING_CLIENTS }, () => reporting(running))),
      { beforeMs: 1_000, downMs: 300, afterMs: 1_000 },
    );
    // The kill caught reports on the wire, and only reports caught by the outage went unanswered.
    expect(outage.inFlightAtKill).toBeGreaterThan(0);
    expect(record.unanswered.length).toBeGreaterThan(0);
    expect(unansweredOutside(record, outage)).toEqual([]);
    expect(acknowledged.size).toBeGreaterThan(40);

    // Discovery lists exactly the acknowledged resources, each once.
    const client = licenseManager(system, accounts.management);
    const listed: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await client.send(new ListResourceInventoryCommand({ NextToken }));
      listed.push(...page.ResourceInventoryList!.map((r) => r.ResourceArn!));
      NextToken = page.NextToken;
    } while (NextToken);
    expect(listed).toHaveLength(acknowledged.size);
    expect(new Set(listed)).toEqual(acknowledged);

    // One ResourceObserved per resource in discovery's store, and licensing's consumer, fed by the
    // relay that resumed after the crash, comes to know exactly those resources.
    await withSystemDatabase(system, async (db) => {
      const observed = await db.query(
        `select stream_name, count(*)::int as n from discovery.events where type = 'ResourceObserved' group by stream_name`,
      );
      expect(observed.rows).toHaveLength(acknowledged.size);
      expect(observed.rows.filter((row: { n: number }) => row.n !== 1)).toEqual([]);
      const deadline = Date.now() + 20_000;
      let known: string[] = [];
      while (Date.now() < deadline) {
        known = (await db.query('select resource_arn from licensing.resources')).rows.map(
          (row: { resource_arn: string }) => row.resource_arn,
        );
        if (known.length >= acknowledged.size) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(new Set(known)).toEqual(acknowledged);
    });

    // Licensing's API agrees: every acknowledged resource can be associated and counts its vCPUs once.
    const config = (
      await client.send(
        new CreateLicenseConfigurationCommand({
          Name: 'after-discovery-crash',
          LicenseCountingType: 'vCPU',
          LicenseCount: 100_000,
          LicenseCountHardLimit: true,
        }),
      )
    ).LicenseConfigurationArn!;
    // A few at a time: each must be answered within the suite's short operation timeout.
    const arns = [...acknowledged];
    for (let i = 0; i < arns.length; i += 16) {
      await Promise.all(
        arns.slice(i, i + 16).map((ResourceArn) =>
          client.send(
            new UpdateLicenseSpecificationsForResourceCommand({
              ResourceArn,
              AddLicenseSpecifications: [{ LicenseConfigurationArn: config }],
            }),
          ),
        ),
      );
    }
    expect(
      (await client.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn: config }))).ConsumedLicenses,
    ).toBe(acknowledged.size * VCPUS);
  });
});
