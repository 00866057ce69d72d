import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type CompiledQuery,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import { readConfigurationWithConsumption } from '../src/configurations/application/license-configuration.queries';
import type { LicenseConfigurationViews } from '../src/configurations/application/license-configuration.views';
import { LicensingService } from '../src/licensing.service';
import { LICENSING_SCHEMA } from '../src/shared/schema';
import { serviceDatabaseSessions } from '../../../test/support/service-sessions';

const OWNER = '111111111111';
const ASSOCIATIONS = `${LICENSING_SCHEMA}.license_configuration_associations`;

/** Compiles queries without a database: the statement GetLicenseConfiguration sends. */
const compiler = new Kysely<LicenseConfigurationViews>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

/**
 * The plan PostgreSQL keeps for GetLicenseConfiguration's statement (a prepared statement's generic
 * plan, made after its fifth run) when nearly every association is on one configuration.
 */
describe("GetLicenseConfiguration's plan (licensing's migrated schema)", () => {
  const { session } = serviceDatabaseSessions(LicensingService, 'lm_configuration_read_plan');

  it("reads another configuration's consumption through the configuration's index, not the whole table", async () => {
    const client = await session();
    for (const id of ['crowded', 'quiet']) {
      await client.query(
        `insert into ${LICENSING_SCHEMA}.license_configurations
           (id, owner_account_id, region, counting_type, hard_limit, status, created_at, version, document)
         values ($1, $2, 'us-east-1', 'Instance', false, 'AVAILABLE', now(), 1, '{}')`,
        [id, OWNER],
      );
    }
    await client.query(
      `insert into ${ASSOCIATIONS}
         (configuration_id, resource_arn, resource_type, resource_owner_id, associated_at, consumed_licenses, consumption_key)
       select 'crowded', 'arn:aws:ec2:us-east-1:111111111111:instance/i-' || i, 'EC2_INSTANCE', $1, now(), 1,
         'arn:aws:ec2:us-east-1:111111111111:instance/i-' || i
       from generate_series(1, 2000) i`,
      [OWNER],
    );
    await client.query(`analyze ${ASSOCIATIONS}`);

    const statement: CompiledQuery = readConfigurationWithConsumption.bind(compiler, { id: 'quiet', accountId: OWNER });
    await client.query('set plan_cache_mode = force_generic_plan');
    await client.query(`prepare get_configuration as ${statement.sql}`);
    const values = statement.parameters.map((value) => (typeof value === 'string' ? `'${value}'` : String(value)));
    const { rows } = await client.query(`explain execute get_configuration(${values.join(', ')})`);
    const plan = rows.map((row) => row['QUERY PLAN']).join('\n');

    expect(plan).not.toMatch(/Seq Scan on license_configuration_associations/);
    expect(plan).toMatch(/Index (Only )?Scan .*on license_configuration_associations/);
  });
});
