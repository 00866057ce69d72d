import type { ColumnType } from 'kysely';
import type { AssociationStatus, UserAssociation } from '../domain/association';

type Timestamp = ColumnType<Date, string, string>;
type Json<T> = ColumnType<T, string, string>;

/**
 * user_associations: every user's association with an instance, kept after it ends
 * (DISASSOCIATED, FAILED) as ListUserAssociations shows it. Other slices read it
 * (docs/user-subscriptions.md#views): the columns below are stable; `state` is the whole association.
 */
export interface UserAssociationsTable {
  /** The InstanceUserArn. */
  arn: string;
  account_id: string;
  region: string;
  instance_id: string;
  directory_id: string;
  /** As the directory spells it; compare with lower(). */
  username: string;
  /** Lower case. */
  domain: string;
  /** JSON array of the products the association gives. */
  products: Json<string[]>;
  status: AssociationStatus;
  requested_at: Timestamp;
  stream_version: number;
  state: Json<UserAssociation>;
}

/** user_instance_counts: the live associations of each user (ASSOCIATING, ASSOCIATED), kept by the quota guard. */
export interface UserInstanceCountsTable {
  /** userKeyOf: account, directory, domain and logon name (lower case). */
  user_key: string;
  count: number;
}

export interface UserAssociationViews {
  user_associations: UserAssociationsTable;
  user_instance_counts: UserInstanceCountsTable;
}
