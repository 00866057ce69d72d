import type { ColumnType } from 'kysely';
import type { InventoryObservation } from '../domain/commands';
import type { LinuxInstance } from '../domain/linux-instance';

type Timestamp = ColumnType<Date, string, string>;
type Json<T> = ColumnType<T, string, string>;

/**
 * inventory_instances: the service's own copy of the inventory's EC2 instances, every account's,
 * followed from discovery's events, so that turning discovery on derives its data at once.
 * `subscription_name`: what the classification makes of it (null: no commercial Linux subscription).
 */
export interface InventoryInstancesTable {
  account_id: string;
  region: string;
  instance_id: string;
  subscription_name: string | null;
  /** The EC2 state as last observed. */
  state: string;
  /** Not reported for 30 days (ResourceInactivated). */
  inactive: boolean;
  observed_at: Timestamp;
  observation: Json<InventoryObservation>;
}

/**
 * linux_subscription_instances: the discovered instances (ListLinuxSubscriptionInstances,
 * ListLinuxSubscriptions), projected inline from the instance streams; `instance` is the whole
 * instance, the other columns what lists filter on.
 */
export interface LinuxSubscriptionInstancesTable {
  account_id: string;
  region: string;
  instance_id: string;
  subscription_name: string;
  subscription_type: string;
  status: string;
  ami_id: string | null;
  instance_type: string | null;
  usage_operation: string;
  product_codes: string[];
  dual_subscription: boolean;
  instance: Json<LinuxInstance>;
}

/** discovered_instance_counts: discovered instances per account and Region (the limit guard's counter). */
export interface DiscoveredInstanceCountsTable {
  account_id: string;
  region: string;
  count: number;
}

/**
 * provider_registrations: the instances a subscription provider's last retrieval listed as
 * registered with it (its account's view of Red Hat Subscription Manager's systems).
 */
export interface ProviderRegistrationsTable {
  subscription_provider_arn: string;
  account_id: string;
  instance_id: string;
  provider_created_at: string;
  retrieved_at: string;
}

export interface InstanceViews {
  inventory_instances: InventoryInstancesTable;
  linux_subscription_instances: LinuxSubscriptionInstancesTable;
  discovered_instance_counts: DiscoveredInstanceCountsTable;
  provider_registrations: ProviderRegistrationsTable;
}
