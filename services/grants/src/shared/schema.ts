import type { ConsumptionViews } from '../consumption/application/license-consumption.views';
import type { GrantViews } from '../grants/application/grant.views';
import type { LicenseViews } from '../licenses/application/license.views';
import type { OrganizationIntegrationViews } from '../grants/application/organization-integration.views';
import type { SigningKeyViews } from '../signing-keys/application/signing-key.views';
import type { TokenViews } from '../tokens/application/tokens.views';
/** PostgreSQL schema that holds the grants service's event store and read models. */
export const GRANTS_SCHEMA = 'grants';

/** The grants service's read models, as Kysely sees them. */
export interface GrantsDatabase
  extends LicenseViews, GrantViews, SigningKeyViews, TokenViews, ConsumptionViews, OrganizationIntegrationViews {}
