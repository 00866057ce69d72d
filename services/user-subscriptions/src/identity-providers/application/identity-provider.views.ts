import type { ColumnType } from 'kysely';
import type { IdentityProviderRegistration, IdentityProviderStatus } from '../domain/identity-provider';

type Timestamp = ColumnType<Date, string, string>;
type Json<T> = ColumnType<T, string, string>;

/**
 * identity_providers: the latest registration of each directory for each product in each account
 * (a deregistered one's row goes). Other slices read it (docs/user-subscriptions.md#views): the
 * columns below are stable; `state` is the whole registration.
 */
export interface IdentityProvidersTable {
  /** The IdentityProviderArn. */
  arn: string;
  account_id: string;
  region: string;
  /** d-... (AWS managed) or sd-... (self-managed). */
  directory_id: string;
  product: string;
  /** REGISTERING, REGISTERED, FAILED or DEREGISTERING. */
  status: IdentityProviderStatus;
  domain_name: string;
  /** Settings.Subnets: where its VPC endpoints and user-subscription instances are. */
  subnets: Json<string[]>;
  created_at: Timestamp;
  /** Version of its stream the row reflects (for an idempotent projection). */
  stream_version: number;
  state: Json<IdentityProviderRegistration>;
}

export interface IdentityProviderViews {
  identity_providers: IdentityProvidersTable;
}
