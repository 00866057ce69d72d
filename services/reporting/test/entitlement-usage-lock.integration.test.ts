import { Client } from 'pg';
import { describe, expect, it } from 'vitest';
import { licenceStreamName, usageStreamName } from '../src/usage-metrics/application/entitlement-samples';
import { LOCK_ENTITLEMENT_USAGE_LICENCES_FUNCTION } from '../src/usage-metrics/application/entitlement-usage.views';
import { ReportingService } from '../src/reporting.service';
import { REPORTING_SCHEMA } from '../src/shared/schema';
import { serviceDatabaseSessions, waitingForLock } from '../../../test/support/service-sessions';

const LICENSE_ID = `l-${'ab'.repeat(16)}`;
const OTHER_LICENSE_ID = `l-${'cd'.repeat(16)}`;
const streamsOf = (id: string) => [licenceStreamName(id), usageStreamName(id)];

/**
 * What the entitlement usage consumer's batch starts with (see readLicences): its licences'
 * rows, made if missing and locked until its transaction ends, then read with the streams that
 * have events held, under the locks, so that a batch sees what the previous holder of a licence
 * wrote and held.
 */
describe("the entitlement usage licences' function of reporting (locks, then reads under the locks)", () => {
  const { session } = serviceDatabaseSessions(ReportingService, 'lm_entitlement_usage_lock');
  const lockAndRead = (client: Client, licenseIds: string[]) =>
    client.query(
      `select * from ${REPORTING_SCHEMA}.${LOCK_ENTITLEMENT_USAGE_LICENCES_FUNCTION}($1::text[], $2::text[])`,
      [licenseIds, licenseIds.flatMap(streamsOf)],
    );

  it('makes the rows of licences not known yet, none applied, with no events held', async () => {
    const batch = await session();
    const { rows } = await lockAndRead(batch, [LICENSE_ID, OTHER_LICENSE_ID]);
    expect(rows.sort((a, b) => a.license_id.localeCompare(b.license_id))).toEqual(
      [LICENSE_ID, OTHER_LICENSE_ID].map((id) => ({
        license_id: id,
        license_stream_version: 0,
        usage_stream_version: 0,
        usage: null,
        sampled_through: null,
        held_streams: [],
      })),
    );
  });

  it("makes a second batch of the licence wait for the first's commit, then reads what the first wrote and held meanwhile", async () => {
    const first = await session();
    await first.query('begin');
    await lockAndRead(first, [LICENSE_ID]);
    const second = await session();
    await second.query('begin');
    const reading = await waitingForLock(first, second, (client) =>
      lockAndRead(client, [LICENSE_ID, OTHER_LICENSE_ID]),
    );
    // Under its lock, the first batch applies an event and holds one ahead of its stream.
    await first.query(
      `update ${REPORTING_SCHEMA}.entitlement_usage_licences set license_stream_version = 1, usage = '{}' where license_id = $1`,
      [LICENSE_ID],
    );
    await first.query(
      `insert into ${REPORTING_SCHEMA}.usage_pending_events (stream_name, stream_version, event, pending_since)
       values ($1, 3, '{}', now())`,
      [usageStreamName(LICENSE_ID)],
    );
    await first.query('commit');
    const { rows } = await reading.result;
    const licence = rows.find((row) => row.license_id === LICENSE_ID);
    expect(licence).toMatchObject({ license_stream_version: 1, usage: {} });
    expect(licence.held_streams).toEqual([usageStreamName(LICENSE_ID)]);
    await second.query('commit');
  });
});
