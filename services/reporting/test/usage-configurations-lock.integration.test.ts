import type { Client, QueryResultRow } from 'pg';
import { describe, expect, it } from 'vitest';
import { LOCK_USAGE_CONFIGURATIONS_FUNCTION } from '../src/usage-metrics/application/usage-metrics.views';
import { ReportingService } from '../src/reporting.service';
import { REPORTING_SCHEMA } from '../src/shared/schema';
import { serviceDatabaseSessions, waitingForLock } from '../../../test/support/service-sessions';

const KNOWN = `license-configuration-lic-${'a'.repeat(32)}`;
const NEW = `license-configuration-lic-${'b'.repeat(32)}`;
const USAGE = {
  arn: 'arn:lic-a',
  accountId: '111111111111',
  countingType: 'vCPU',
  consumedLicenses: 0,
  deleted: false,
};

/** The associations to read: on the keys `resources` are on, and on `keys`, each [stream, resource or key]. */
interface Asked {
  resources?: [string, string][];
  keys?: [string, string][];
}

/**
 * What the configuration usage consumer's batch starts with (see lockStreams): its streams' rows,
 * locked in the order of their names until its transaction ends, then read with whether they have
 * events held and with the associations its events concern, under the locks, so that a batch sees
 * what the previous holder of a stream wrote, held and associated.
 */
describe("the usage configurations' function of reporting (locks, then reads under the locks)", () => {
  const { session } = serviceDatabaseSessions(ReportingService, 'lm_usage_configurations_lock');
  const lockAndRead = (client: Client, streamNames: string[], { resources = [], keys = [] }: Asked = {}) =>
    client.query(
      `select * from ${REPORTING_SCHEMA}.${LOCK_USAGE_CONFIGURATIONS_FUNCTION}($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])`,
      [
        streamNames,
        resources.map(([stream]) => stream),
        resources.map(([, arn]) => arn),
        keys.map(([stream]) => stream),
        keys.map(([, key]) => key),
      ],
    );
  const byName = (rows: QueryResultRow[]) => new Map(rows.map((row) => [row.stream_name, row]));
  const associate = (client: Client, resourceArn: string, consumptionKey: string, consumedLicenses: number) =>
    client.query(
      `insert into ${REPORTING_SCHEMA}.usage_configuration_associations
         (stream_name, resource_arn, consumption_key, consumed_licenses) values ($1, $2, $3, $4)`,
      [KNOWN, resourceArn, consumptionKey, consumedLicenses],
    );

  it("reads a row for each stream (a stream's not written yet has none), and the associations on the keys concerned", async () => {
    const setup = await session();
    await setup.query(
      `insert into ${REPORTING_SCHEMA}.usage_configurations
         (stream_name, account_id, stream_version, usage, changed_at, sampled_through)
       values ($1, $2, 3, $3, '2026-03-02T10:00:00Z', '2026-03-02T10:00:00Z')`,
      [KNOWN, USAGE.accountId, USAGE],
    );
    // i-1 and i-2 share host h-1; i-3 is on a key of its own.
    await associate(setup, 'i-1', 'h-1', 2);
    await associate(setup, 'i-2', 'h-1', 4);
    await associate(setup, 'i-3', 'i-3', 1);
    const { rows } = await lockAndRead(await session(), [KNOWN, NEW], { resources: [[KNOWN, 'i-1']] });
    const streams = byName(rows);
    expect(streams.get(NEW)).toEqual({
      stream_name: NEW,
      stream_version: null,
      usage: null,
      changed_at: null,
      sampled_through: null,
      held: false,
      associations: [],
    });
    expect(streams.get(KNOWN)).toMatchObject({
      stream_version: 3,
      usage: USAGE,
      changed_at: new Date('2026-03-02T10:00:00Z'),
      held: false,
    });
    const onHost = [
      { stream_name: KNOWN, resource_arn: 'i-1', consumption_key: 'h-1', consumed_licenses: 2 },
      { stream_name: KNOWN, resource_arn: 'i-2', consumption_key: 'h-1', consumed_licenses: 4 },
    ];
    expect(
      streams
        .get(KNOWN)!
        .associations.sort((a: QueryResultRow, b: QueryResultRow) => a.resource_arn.localeCompare(b.resource_arn)),
    ).toEqual(onHost);
    const { rows: byKey } = await lockAndRead(await session(), [KNOWN], { keys: [[KNOWN, 'i-3']] });
    expect(byKey[0].associations).toEqual([
      { stream_name: KNOWN, resource_arn: 'i-3', consumption_key: 'i-3', consumed_licenses: 1 },
    ]);
  });

  it("makes a second batch of the stream wait for the first's commit, then reads what the first wrote, held and associated meanwhile", async () => {
    const first = await session();
    await first.query('begin');
    await lockAndRead(first, [KNOWN]);
    const second = await session();
    await second.query('begin');
    const reading = await waitingForLock(first, second, (client) =>
      lockAndRead(client, [KNOWN, NEW], { keys: [[KNOWN, 'i-9']] }),
    );
    // Under its lock, the first batch applies an event, associates a resource and holds an event ahead of its stream.
    await first.query(`update ${REPORTING_SCHEMA}.usage_configurations set stream_version = 4 where stream_name = $1`, [
      KNOWN,
    ]);
    await associate(first, 'i-9', 'i-9', 8);
    await first.query(
      `insert into ${REPORTING_SCHEMA}.usage_pending_events (stream_name, stream_version, event, pending_since)
       values ($1, 6, '{}', now())`,
      [KNOWN],
    );
    await first.query('commit');
    const streams = byName((await reading.result).rows);
    expect(streams.get(KNOWN)).toMatchObject({
      stream_version: 4,
      held: true,
      associations: [{ stream_name: KNOWN, resource_arn: 'i-9', consumption_key: 'i-9', consumed_licenses: 8 }],
    });
    expect(streams.get(NEW)).toMatchObject({ stream_version: null, held: false });
    await second.query('commit');
  });
});
