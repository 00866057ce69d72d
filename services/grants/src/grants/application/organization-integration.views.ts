import type { ColumnType } from 'kysely';

/** Whether a management account linked its organization (licensing's settings, per account and Region). */
export interface OrganizationIntegrationsTable {
  account_id: string;
  region: string;
  organization_id: string | null;
  organization_integration: boolean;
  recorded_at: ColumnType<Date, string, string>;
}

/** The organization links the grants slice keeps, as Kysely sees them. */
export interface OrganizationIntegrationViews {
  organization_integrations: OrganizationIntegrationsTable;
}
