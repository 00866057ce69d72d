import type { ColumnType } from 'kysely';
import type { LicenseManager } from '@lm/api-model';
import type { LicenseDocument } from '../domain/events';

type Timestamp = ColumnType<Date, string, string>;
type NullableTimestamp = ColumnType<Date | null, string | null, string | null>;
type Json<T> = ColumnType<T, string, string>;

/** A licence's current version, with the columns lists filter on and consumption reads. */
export interface LicensesTable {
  license_id: string;
  license_arn: string;
  issuer_account_id: string;
  issuer_name: string;
  sign_key_arn: string;
  key_fingerprint: string;
  product_sku: string;
  beneficiary: string;
  /** The current version's; DELETED once deleted (the licence stays readable), EXPIRED once the expiry sweep found its validity ended. */
  status: string;
  home_region: string;
  valid_from: Timestamp;
  valid_until: NullableTimestamp;
  /** The licence's current version number. */
  version: number;
  /** Version of the licence's stream the row reflects (for an idempotent projection). */
  stream_version: number;
  client_token: string;
  request_hash: string;
  created_at: Timestamp;
  deletion_date: NullableTimestamp;
  tags: Json<LicenseManager.Tag[]>;
  /** The current version as GetLicense answers it. */
  document: Json<LicenseDocument>;
}

export interface LicenseVersionsTable {
  license_id: string;
  version: number;
  document: Json<LicenseDocument>;
}

/** The licences slice's views, as Kysely sees them. */
export interface LicenseViews {
  licenses: LicensesTable;
  license_versions: LicenseVersionsTable;
}
