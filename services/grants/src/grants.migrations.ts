import { migrationOf, type ViewMigrations } from '@lm/service-kit';
import { grantsViews } from './grants/infra/migrations/001-grants';
import { organizationIntegrations } from './grants/infra/migrations/005-organization-integrations';
import { grantsWithoutOrganizationColumns } from './grants/infra/migrations/006-grants-without-organization-columns';
import { licensesViews } from './licenses/infra/migrations/001-licenses';
import { licensesDueToExpire } from './licenses/infra/migrations/007-licenses-due-to-expire';
import { licenseConsumption } from './consumption/infra/migrations/003-license-consumption';
import { signingKeys } from './signing-keys/infra/migrations/002-signing-keys';
import { tokensAndCredentials } from './tokens/infra/migrations/004-tokens-and-credentials';

/**
 * The view migrations of every slice, in the one order the database knows them by: their ids are
 * recorded as applied, so none is ever renamed or reordered (001 was written before the slices,
 * and runs the licences' half, then the grants').
 */
export const grantsMigrations: ViewMigrations = {
  '001-licenses-and-grants': migrationOf(licensesViews, grantsViews),
  '002-signing-keys': signingKeys,
  '003-license-consumption': licenseConsumption,
  '004-tokens-and-credentials': tokensAndCredentials,
  '005-organization-integrations': organizationIntegrations,
  '006-grants-without-organization-columns': grantsWithoutOrganizationColumns,
  '007-licenses-due-to-expire': licensesDueToExpire,
};
