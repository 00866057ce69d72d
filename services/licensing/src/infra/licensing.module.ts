import { CommandBatcher, type EventStore } from '@lm/event-store';
import { eventSubject, operationSubject } from '@lm/messaging';
import { defineService, EVENT_STORE, milliseconds, positiveInteger } from '@lm/service-kit';
import { LicensingAggregateStates } from '../application/aggregate-states';
import { ConfigurationSharing } from '../application/configuration-sharing';
import { INVENTORY_DIRECTORY } from '../application/inventory-directory';
import { InventoryLookup } from '../application/inventory-lookup';
import { InventoryConsumer } from '../application/inventory.consumer';
import { LaunchAdmission } from '../application/launch-admission';
import { LicenseAffinitySweep } from '../application/license-affinity.sweep';
import { licenseConfigurationAssociationsProjection } from '../application/license-configuration-associations.projection';
import { licenseConfigurationQuotaGuard } from '../application/license-configuration-quota.guard';
import { LicenseConfigurationCommands } from '../application/license-configuration.commands';
import { LicenseConfigurationQueries } from '../application/license-configuration.queries';
import { licenseConfigurationsProjection } from '../application/license-configurations.projection';
import { LicenseSpecificationCommands } from '../application/license-specifications.commands';
import { LicenseSpecificationQueries } from '../application/license-specifications.queries';
import { ResourceLifecycle } from '../application/resource-lifecycle';
import { ServiceSettingsHandlers } from '../application/service-settings.handlers';
import { serviceSettingsProjection } from '../application/service-settings.projection';
import { licensingMigrations } from './database/migrations';
import { LICENSING_SCHEMA } from './database/schema';
import { LaunchAdmissionEndpoint } from './launch-admission.endpoint';
import { LicenseConfigurationsController } from './license-configurations.controller';
import { LicenseSpecificationsController } from './license-specifications.controller';
import { NatsInventoryDirectory } from './nats-inventory-directory';
import { ServiceSettingsController } from './service-settings.controller';
import { TagsController } from './tags.controller';

/** Licensing's own settings (besides those every service reads). */
export const licensingSettings = {
  /** The quota of license configurations per account and Region (the guide's 25; adjustable). */
  licenseConfigurationQuota: positiveInteger('LM_QUOTA_LICENSE_CONFIGURATIONS', 25),
  /** How often licence affinity holds that are due are ended (the guide: "within 24 hours"). */
  affinitySweepIntervalMs: milliseconds('LM_AFFINITY_SWEEP_MS', 60 * 60 * 1000),
};

/**
 * The licensing service: license configurations, associations and consumption, launch
 * admission and service settings. It keeps its copy of the inventory from discovery's events,
 * and ends due licence affinity holds on a schedule.
 */
export const LicensingModule = defineService({
  name: 'licensing',
  schema: LICENSING_SCHEMA,
  migrations: licensingMigrations,
  config: licensingSettings,
  projections: [licenseConfigurationsProjection, licenseConfigurationAssociationsProjection, serviceSettingsProjection],
  guards: (config) => [licenseConfigurationQuotaGuard(config.licenseConfigurationQuota)],
  consumers: [
    { durableName: 'licensing-inventory', subject: eventSubject('discovery', '>'), handler: InventoryConsumer },
  ],
  endpoints: [{ subject: operationSubject('licensing', 'AuthorizeLaunch'), handler: LaunchAdmissionEndpoint }],
  schedules: [{ task: LicenseAffinitySweep, intervalMs: (config) => config.affinitySweepIntervalMs }],
  controllers: [
    LicenseConfigurationsController,
    TagsController,
    ServiceSettingsController,
    LicenseSpecificationsController,
  ],
  providers: [
    LaunchAdmission,
    ResourceLifecycle,
    ConfigurationSharing,
    LicensingAggregateStates,
    { provide: CommandBatcher, useFactory: (store: EventStore) => new CommandBatcher(store), inject: [EVENT_STORE] },
    LicenseConfigurationCommands,
    LicenseConfigurationQueries,
    ServiceSettingsHandlers,
    LicenseSpecificationCommands,
    LicenseSpecificationQueries,
    { provide: INVENTORY_DIRECTORY, useClass: NatsInventoryDirectory },
    InventoryLookup,
  ],
});
