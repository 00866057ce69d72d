import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { licensesAndGrants } from './migrations/001-licenses-and-grants';
import { signingKeys } from '../../signing-keys/infra/migrations/002-signing-keys';
import { licenseConsumption } from '../../consumption/infra/migrations/003-license-consumption';
import { tokensAndCredentials } from '../../tokens/infra/migrations/004-tokens-and-credentials';
import { organizationIntegrations } from '../../grants/infra/migrations/005-organization-integrations';
import { grantsWithoutOrganizationColumns } from '../../grants/infra/migrations/006-grants-without-organization-columns';
import { licensesDueToExpire } from './migrations/007-licenses-due-to-expire';
import { GRANTS_SCHEMA } from '../../shared/schema';

/** One migration per area of the service, applied in the order of their names. */
const migrations: Record<string, Migration> = {
  '001-licenses-and-grants': licensesAndGrants,
  '002-signing-keys': signingKeys,
  '003-license-consumption': licenseConsumption,
  '004-tokens-and-credentials': tokensAndCredentials,
  '005-organization-integrations': organizationIntegrations,
  '006-grants-without-organization-columns': grantsWithoutOrganizationColumns,
  '007-licenses-due-to-expire': licensesDueToExpire,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Applies the grants read-model migrations in the service's own schema. */
export async function migrateGrantsViews(db: Kysely<any>): Promise<void> {
  await sql`create schema if not exists ${sql.id(GRANTS_SCHEMA)}`.execute(db);
  const migrator = new Migrator({ db: db.withSchema(GRANTS_SCHEMA), provider, migrationTableSchema: GRANTS_SCHEMA });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}
