import type { ConsumptionViews } from '../consumption/application/license-consumption.views';
import type { LicensesAndGrantsTables } from '../infra/database/licenses-and-grants.tables';
import type { OrganizationIntegrationsTables } from '../infra/database/organization-integrations.tables';
import type { SigningKeyViews } from '../signing-keys/application/signing-key.views';
import type { TokenViews } from '../tokens/application/tokens.views';
/** PostgreSQL schema that holds the grants service's event store and read models. */
export const GRANTS_SCHEMA = 'grants';

/** The grants service's read models, as Kysely sees them. */
export interface GrantsDatabase
  extends LicensesAndGrantsTables, SigningKeyViews, TokenViews, ConsumptionViews, OrganizationIntegrationsTables {}
