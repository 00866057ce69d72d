import { eventSubject, operationSubject } from '@lm/messaging';
import { defineService, milliseconds, positiveInteger, tagOperationsController } from '@lm/service-kit';
import { licenseAssetGroupsGuard } from './asset-groups/application/asset-groups.guard';
import { licenseAssetGroupsProjection } from './asset-groups/application/asset-groups.projection';
import { configurationMembershipProjection } from './asset-groups/application/configuration-membership.projection';
import { AssetGroupUsageSweep } from './asset-groups/application/asset-group-usage.sweep';
import { GrantsConsumer } from './asset-groups/application/grants.consumer';
import { LicencesConsumer } from './asset-groups/application/licences.consumer';
import { settingsMembershipProjection } from './asset-groups/application/settings-membership.projection';
import { AssetGroupsModule } from './asset-groups/asset-groups.module';
import { licenseConfigurationAssociationsProjection } from './configurations/application/license-configuration-associations.projection';
import { licenseConfigurationQuotaGuard } from './configurations/application/license-configuration-quota.guard';
import { licenseConfigurationsProjection } from './configurations/application/license-configuration.projection';
import { ConfigurationsModule } from './configurations/configurations.module';
import { licensingMigrations } from './licensing.migrations';
import { LicensingTags } from './licensing-tags';
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
  /** How often each license asset group's usage is worked out (recorded when it changed, or hourly). */
  assetGroupUsageIntervalMs: milliseconds('LM_ASSET_GROUP_USAGE_MS', 60 * 1000),
};

/**
 * The licensing service, as four slices, each a feature module with its own domain, application
 * and infra: settings (service settings), configurations (license configurations, their
 * associations and consumption, tags, the quota, sharing with the organization), specifications
 * (licence specifications of resources, resource lifecycle, automated discovery, launch admission)
 * and asset groups (license asset rulesets and groups, and what each group discovers). It keeps its
 * copy of the inventory from discovery's events and of seller-issued licences and their grants from grants', follows
 * conversion's successful license type conversions, and ends due licence affinity holds on a schedule.
 */
export const LicensingService = defineService({
  name: 'licensing',
  schema: LICENSING_SCHEMA,
  migrations: licensingMigrations,
  config: licensingSettings,
  // Group membership after the views it reads (a configuration's row before it joins groups).
  projections: [
    licenseConfigurationsProjection,
    licenseConfigurationAssociationsProjection,
    serviceSettingsProjection,
    licenseAssetGroupsProjection,
    configurationMembershipProjection,
    settingsMembershipProjection,
  ],
  guards: (config) => [licenseConfigurationQuotaGuard(config.licenseConfigurationQuota), licenseAssetGroupsGuard],
  consumers: [
    // One event per transaction: its commands run outside it and read the inventory the previous event
    // of the resource wrote. Those of different resources at once: one at a time, they fell behind.
    {
      durableName: 'licensing-inventory',
      subject: eventSubject('discovery', '>'),
      handler: InventoryConsumer,
      batchSize: 1,
      lanes: 8,
    },
    {
      durableName: 'licensing-license-type-conversions',
      subject: eventSubject('conversion', 'LicenseConversionSucceeded'),
      handler: LicenseTypeConversionsConsumer,
    },
    // One event per transaction: each takes its licence's lock before any account's, which a batch would
    // break (a second event's licence lock taken while the first's account locks are held). One consumer
    // for both handlers (each was a consumer of its own): every checkout and check-in was delivered twice
    // to be skipped.
    {
      durableName: 'licensing-grants-events',
      subject: eventSubject('grants', '>'),
      handlers: { 'licensing-asset-group-licences': LicencesConsumer, 'licensing-asset-group-grants': GrantsConsumer },
      batchSize: 1,
    },
  ],
  endpoints: [{ subject: operationSubject('licensing', 'AuthorizeLaunch'), handler: LaunchAdmissionEndpoint }],
  schedules: [
    { task: LicenseAffinitySweep, intervalMs: (config) => config.affinitySweepIntervalMs },
    { task: AssetGroupUsageSweep, intervalMs: (config) => config.assetGroupUsageIntervalMs },
  ],
  imports: [SettingsModule, ConfigurationsModule, SpecificationsModule, AssetGroupsModule],
  controllers: [tagOperationsController('licensing', LicensingTags, LicensingTags)],
  providers: [LicensingTags],
});
