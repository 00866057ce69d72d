import type { LicenseConsumptionTables } from './license-consumption.tables';
import type { LicensesAndGrantsTables } from './licenses-and-grants.tables';
import type { OrganizationIntegrationsTables } from './organization-integrations.tables';
import type { SigningKeysTables } from './signing-keys.tables';
import type { TokensAndCredentialsTables } from './tokens-and-credentials.tables';
/** PostgreSQL schema that holds the grants service's event store and read models. */
export const GRANTS_SCHEMA = 'grants';

/** The grants service's read models, as Kysely sees them. */
export interface GrantsDatabase
  extends
    LicensesAndGrantsTables,
    SigningKeysTables,
    TokensAndCredentialsTables,
    LicenseConsumptionTables,
    OrganizationIntegrationsTables {}
