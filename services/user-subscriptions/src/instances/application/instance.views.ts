import type { ColumnType } from 'kysely';
import type { InstanceStatus, InventoryInstance } from '../domain/instance';

type Timestamp = ColumnType<Date, string, string>;
type Json<T> = ColumnType<T, string, string>;

/**
 * instances: the inventory's EC2 instances reported with a subnet, projected from the instances'
 * own events (which follow discovery's). Whether one is a user-subscription instance is read
 * against the identity providers' subnets when asked (a subnet added to a registration later makes
 * its instances count). Other slices read it (docs/user-subscriptions.md#views): the columns below
 * are stable; `state` is the whole instance.
 */
export interface InstancesTable {
  account_id: string;
  region: string;
  instance_id: string;
  subnet_id: string;
  /** ACTIVE, UNHEALTHY or TERMINATED. */
  status: InstanceStatus;
  observed_at: Timestamp;
  stream_version: number;
  state: Json<InventoryInstance>;
}

/** instance_status_checks: when discovery last saw the instance, changed or not (LastStatusCheckDate). */
export interface InstanceStatusChecksTable {
  account_id: string;
  region: string;
  instance_id: string;
  checked_at: Timestamp;
}

export interface InstanceViews {
  instances: InstancesTable;
  instance_status_checks: InstanceStatusChecksTable;
}
