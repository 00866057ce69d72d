import type { ColumnType } from 'kysely';
import type { LicenseServerEndpoint, LicenseServerEndpointStatus } from '../domain/license-server-endpoint';

type Timestamp = ColumnType<Date, string, string>;
type Json<T> = ColumnType<T, string, string>;

/**
 * license_server_endpoints: every endpoint of each account, deleted ones included (ListLicenseServerEndpoints
 * shows them DELETED). The identity providers slice's deregistration reads it through the blocker.
 */
export interface LicenseServerEndpointsTable {
  /** The LicenseServerEndpointArn. */
  arn: string;
  account_id: string;
  region: string;
  identity_provider_arn: string;
  status: LicenseServerEndpointStatus;
  created_at: Timestamp;
  /** Version of its stream the row reflects (for an idempotent projection). */
  stream_version: number;
  state: Json<LicenseServerEndpoint>;
}

export interface LicenseServerEndpointViews {
  license_server_endpoints: LicenseServerEndpointsTable;
}
