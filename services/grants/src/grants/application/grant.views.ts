import type { ColumnType } from 'kysely';
import type { GrantAggregate, GrantDocument } from '../domain/grant';

type Timestamp = ColumnType<Date, string, string>;
type Json<T> = ColumnType<T, string, string>;

/** A grant's current version; the grantee columns say whom its principal covers. */
export interface GrantsTable {
  grant_id: string;
  grant_arn: string;
  grantor_account_id: string;
  license_arn: string;
  parent_arn: string;
  grantee_principal_arn: string;
  /** Set for a grant to one account (sub-grants included); an organization or OU grant covers nobody itself. */
  grantee_account_id: string | null;
  status: string;
  product_sku: string;
  license_issuer_name: string;
  version: number;
  stream_version: number;
  client_token: string;
  created_at: Timestamp;
  /** The aggregate's folded state, which the projection evolves. */
  state: Json<GrantAggregate>;
  /** The current version as GetGrant answers it. */
  document: Json<GrantDocument>;
}

export interface GrantVersionsTable {
  grant_id: string;
  version: number;
  document: Json<GrantDocument>;
}

/** Grants per licence, for the quota. */
export interface LicenseGrantCountsTable {
  license_arn: string;
  count: number;
}

/** The grants slice's views, as Kysely sees them. */
export interface GrantViews {
  grants: GrantsTable;
  grant_versions: GrantVersionsTable;
  license_grant_counts: LicenseGrantCountsTable;
}
