import { eventSubject, operationSubject } from '@lm/messaging';
import { defineService, milliseconds, positiveInteger } from '@lm/service-kit';
import { licenseConfigurationAssociationsProjection } from './configurations/application/license-configuration-associations.projection';
import { licenseConfigurationQuotaGuard } from './configurations/application/license-configuration-quota.guard';
import { licenseConfigurationsProjection } from './configurations/application/license-configuration.projection';
import { ConfigurationsModule } from './configurations/configurations.module';
import { licensingMigrations } from './licensing.migrations';
import { serviceSettingsProjection } from './settings/application/service-settings.projection';
import { SettingsModule } from './settings/settings.module';
import { LICENSING_SCHEMA } from './shared/schema';
import { InventoryConsumer } from './specifications/application/inventory.consumer';
import { LicenseTypeConversionsConsumer } from './specifications/application/license-type-conversions.consumer';
import { LicenseAffinitySweep } from './specifications/application/license-affinity.sweep';
import { LaunchAdmissionEndpoint } from './specifications/infra/launch-admission.endpoint';
import { SpecificationsModule } from './specifications/specifications.module';

/** Licensing's own settings (besides those every service reads). */
export const licensingSettings = {
  /** The quota of license configurations per account and Region (the guide's 25; adjustable). */
  licenseConfigurationQuota: positiveInteger('LM_QUOTA_LICENSE_CONFIGURATIONS', 25),
  /** How often licence affinity holds that are due are ended (the guide: "within 24 hours"). */
  affinitySweepIntervalMs: milliseconds('LM_AFFINITY_SWEEP_MS', 60 * 60 * 1000),
};

/**
 * The licensing service, as three slices, each a feature module with its own domain, application
 * and infra: settings (service settings), configurations (license configurations, their
 * associations and consumption, tags, the quota, sharing with the organization) and specifications
 * (licence specifications of resources, resource lifecycle, automated discovery, launch admission).
 * It keeps its copy of the inventory from discovery's events, follows conversion's successful license
 * type conversions, and ends due licence affinity holds on a schedule.
 */
export const LicensingService = defineService({
  name: 'licensing',
  schema: LICENSING_SCHEMA,
  migrations: licensingMigrations,
  config: licensingSettings,
  projections: [licenseConfigurationsProjection, licenseConfigurationAssociationsProjection, serviceSettingsProjection],
  guards: (config) => [licenseConfigurationQuotaGuard(config.licenseConfigurationQuota)],
  consumers: [
    // One event per transaction: its commands run outside it and read the inventory the previous event wrote.
    {
      durableName: 'licensing-inventory',
      subject: eventSubject('discovery', '>'),
      handler: InventoryConsumer,
      batchSize: 1,
    },
    {
      durableName: 'licensing-license-type-conversions',
      subject: eventSubject('conversion', 'LicenseConversionSucceeded'),
      handler: LicenseTypeConversionsConsumer,
    },
  ],
  endpoints: [{ subject: operationSubject('licensing', 'AuthorizeLaunch'), handler: LaunchAdmissionEndpoint }],
  schedules: [{ task: LicenseAffinitySweep, intervalMs: (config) => config.affinitySweepIntervalMs }],
  imports: [SettingsModule, ConfigurationsModule, SpecificationsModule],
});
