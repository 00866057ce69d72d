import type { ColumnType } from 'kysely';
import type { InstanceFacts } from '../../shared/instance-facts';

/** The conversion service's copy of the inventory (discovery's events), as Kysely sees it. */
export interface InventoryViews {
  inventory_instances: {
    account_id: string;
    region: string;
    resource_id: string;
    inactive: boolean;
    observed_at: ColumnType<Date, string, string>;
    facts: ColumnType<InstanceFacts, string, string>;
  };
}
