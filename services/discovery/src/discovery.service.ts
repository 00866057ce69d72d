import { eventSubject, inventoryReportSubject } from '@lm/messaging';
import { defineService, milliseconds } from '@lm/service-kit';
import { InventoryDescriptions } from './application/inventory-description.queries';
import { InventoryReports } from './application/inventory-resource.commands';
import { inventoryResourcesProjection } from './application/inventory-resource.projection';
import { InventorySweep } from './application/inventory-resource.sweep';
import { InventoryQueries } from './application/inventory-resource.queries';
import { InventoryScopes } from './application/inventory-scope.queries';
import { ServiceSettingsConsumer } from './application/service-settings.consumer';
import { discoveryMigrations } from './infra/migrations';
import { DISCOVERY_SCHEMA } from './schema';
import { InventoryDescriptionController } from './infra/inventory-description.controller';
import { InventoryReportEndpoint } from './infra/inventory-report.endpoint';
import { InventoryController } from './infra/inventory.controller';

/** Discovery's own settings (besides those every service reads). */
export const discoverySettings = {
  /** How often the 30-day inactivity sweep runs (default hourly). */
  sweepIntervalMs: milliseconds('LM_DISCOVERY_SWEEP_INTERVAL_MS', 3_600_000),
};

/**
 * The discovery service: the resource inventory (ReportResources over the extensions API and on
 * NATS, ListResourceInventory), the 30-day inactivity sweep, and licensing's service settings
 * followed for the organization's cross-account view.
 */
export const DiscoveryService = defineService({
  name: 'discovery',
  schema: DISCOVERY_SCHEMA,
  migrations: discoveryMigrations,
  config: discoverySettings,
  projections: [inventoryResourcesProjection],
  consumers: [
    {
      durableName: 'discovery-service-settings',
      subject: eventSubject('licensing', 'ServiceSettingsUpdated'),
      handler: ServiceSettingsConsumer,
    },
  ],
  endpoints: [{ subject: inventoryReportSubject(), handler: InventoryReportEndpoint }],
  schedules: [{ task: InventorySweep, intervalMs: (config) => config.sweepIntervalMs }],
  controllers: [InventoryController, InventoryDescriptionController],
  providers: [InventoryReports, InventoryQueries, InventoryDescriptions, InventoryScopes],
});
