import { CommandBatcher, type EventStore } from '@lm/event-store';
import { eventSubject, operationSubject } from '@lm/messaging';
import { defineService, EVENT_STORE, milliseconds, positiveInteger } from '@lm/service-kit';
import { LicensingAggregateStates } from './specifications/application/license-specification.states';
import { ConfigurationSharing } from './configurations/application/configuration-sharing.queries';
import { INVENTORY_DIRECTORY } from './specifications/application/inventory-directory';
import { InventoryLookup } from './specifications/application/inventory-lookup';
import { InventoryConsumer } from './specifications/application/inventory.consumer';
import { LaunchAdmission } from './specifications/application/launch-admission.commands';
import { LicenseAffinitySweep } from './specifications/application/license-affinity.sweep';
import { licenseConfigurationAssociationsProjection } from './configurations/application/license-configuration-associations.projection';
import { licenseConfigurationQuotaGuard } from './configurations/application/license-configuration-quota.guard';
import { LicenseConfigurationCommands } from './configurations/application/license-configuration.commands';
import { LicenseConfigurationQueries } from './configurations/application/license-configuration.queries';
import { licenseConfigurationsProjection } from './configurations/application/license-configuration.projection';
import { LicenseSpecificationCommands } from './specifications/application/license-specification.commands';
import { LicenseSpecificationQueries } from './specifications/application/license-specification.queries';
import { ResourceLifecycle } from './specifications/application/resource-lifecycle.commands';
import { ServiceSettingsHandlers } from './settings/application/service-settings.commands';
import { serviceSettingsProjection } from './settings/application/service-settings.projection';
import { licensingMigrations } from './licensing.migrations';
import { LICENSING_SCHEMA } from './shared/schema';
import { LaunchAdmissionEndpoint } from './specifications/infra/launch-admission.endpoint';
import { LicenseConfigurationsController } from './configurations/infra/license-configurations.controller';
import { LicenseSpecificationsController } from './specifications/infra/license-specifications.controller';
import { NatsInventoryDirectory } from './specifications/infra/nats-inventory-directory';
import { ServiceSettingsController } from './settings/infra/service-settings.controller';
import { TagsController } from './configurations/infra/tags.controller';

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
