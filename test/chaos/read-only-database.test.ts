import { randomUUID } from 'node:crypto';
import {
  CreateLicenseConfigurationCommand,
  GetLicenseConfigurationCommand,
  ListLicenseConfigurationsCommand,
  UpdateLicenseConfigurationCommand,
} from '@aws-sdk/client-license-manager';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licenseManager } from '../support/clients';
import { heldByLicensing, reportResources } from '../support/inventory';
import { accounts, startSystem, type RunningSystem } from '../support/system';
import { eventually } from './mixed-write-load';
import { startPrivatePostgres, type PrivatePostgres } from './private-postgres';

/** Licensing's own database and role (LICENSING_DATABASE_URL), which the test turns read-only and back. */
const ROLE = 'lm_chaos_licensing';
const DATABASE = 'lm_chaos_licensing';

describe("one service's database turned read-only under writes, then writable again", () => {
  let postgres: PrivatePostgres;
  let system: RunningSystem;
  let licensingUrl: string;
  const sharedServer = process.env.DATABASE_URL;

  /** Sets the role's sessions read-only (or back) and ends its open ones, so that the pool's next sessions have the setting. */
  const readOnly = (on: boolean) =>
    postgres.admin(
      on
        ? `alter role ${ROLE} set default_transaction_read_only = on`
        : `alter role ${ROLE} reset default_transaction_read_only`,
      `select pg_terminate_backend(pid) from pg_stat_activity where usename = '${ROLE}'`,
    );
  const licensingEvents = async () => {
    const db = new Client({ connectionString: licensingUrl });
    await db.connect();
    try {
      return (await db.query('select count(*)::int as n from licensing.events')).rows[0].n as number;
    } finally {
      await db.end();
    }
  };

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    process.env.DATABASE_URL = postgres.url;
    await postgres.admin(`create role ${ROLE} login superuser`, `create database ${DATABASE} owner ${ROLE}`);
    licensingUrl = `postgres://${ROLE}@${new URL(postgres.url).host}/${DATABASE}`;
    system = await startSystem({ LICENSING_DATABASE_URL: licensingUrl });
  });
  afterAll(async () => {
    await system?.stop();
    process.env.DATABASE_URL = sharedServer;
    await postgres?.dispose();
  });

  it('answers its writes 503 and keeps nothing of them, answers reads, and takes writes again once writable', async () => {
    const client = licenseManager(system, accounts.management);
    const create = (name: string) =>
      client.send(new CreateLicenseConfigurationCommand({ Name: name, LicenseCountingType: 'vCPU', LicenseCount: 5 }));
    const { LicenseConfigurationArn: arn } = await create('before');
    const before = await client.send(new GetLicenseConfigurationCommand({ LicenseConfigurationArn: arn }));
    const eventsBefore = await licensingEvents();

    await readOnly(true);
    const writes = await Promise.allSettled([
      ...Array.from({ length: 5 }, () => create(`while-read-only-${randomUUID()}`)),
      ...Array.from({ length: 5 }, (_, i) =>
        client.send(new UpdateLicenseConfigurationCommand({ LicenseConfigurationArn: arn, LicenseCount: 10 + i })),
      ),
    ]);
    // Each write was refused with a clear 503, none with an internal error, none accepted.
    for (const write of writes) {
      expect(write.status).toBe('rejected');
      const error = (write as PromiseRejectedResult).reason as { name: string; $metadata: { httpStatusCode: number } };
      expect({ name: error.name, status: error.$metadata.httpStatusCode }).toEqual({
        name: 'ServiceUnavailableException',
        status: 503,
      });
    }
    // Reported instances reach discovery (its database is writable); licensing's consumer waits for its own.
    const reported = await reportResources(system, [
      { accountId: '111111111111', resourceId: 'i-0c0000000000000001', resourceType: 'EC2_INSTANCE', state: 'running' },
    ]);
    // Reads are answered, with the state before; nothing of the refused writes was kept.
    const { $metadata: _now, ...now } = await client.send(
      new GetLicenseConfigurationCommand({ LicenseConfigurationArn: arn }),
    );
    const { $metadata: _then, ...then } = before;
    expect(now).toEqual(then);
    const listed = await client.send(new ListLicenseConfigurationsCommand({}));
    expect(listed.LicenseConfigurations!.map((c) => c.Name)).toEqual(['before']);
    expect(await licensingEvents()).toBe(eventsBefore);

    await readOnly(false);
    // Writable again, with no restart: writes are taken, and the consumer applies what waited.
    await eventually(async () => {
      await create('after');
    }, 30_000);
    expect(
      (await client.send(new UpdateLicenseConfigurationCommand({ LicenseConfigurationArn: arn, LicenseCount: 20 })))
        .$metadata.httpStatusCode,
    ).toBe(200);
    await eventually(async () => expect(await heldByLicensing(licensingUrl, reported)).toEqual(reported));
  });
});
