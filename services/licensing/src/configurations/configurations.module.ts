import { Module } from '@nestjs/common';
import { SettingsModule } from '../settings/settings.module';
import { ConfigurationSharing } from './application/configuration-sharing.queries';
import { LicenseConfigurationCommands } from './application/license-configuration.commands';
import { LicenseConfigurationQueries } from './application/license-configuration.queries';
import { LicenseConfigurationStates } from './application/license-configuration.states';
import { LicenseConfigurationsController } from './infra/license-configurations.controller';

/**
 * License configurations: their rules and product information, tags, the quota per account and
 * Region, sharing with the organization, and the association rows their events keep (consumption,
 * ListAssociations, ListUsage, ListFailures read them).
 */
@Module({
  imports: [SettingsModule],
  // Their tags: the service's LicensingTags (one tag controller for every taggable resource of licensing).
  controllers: [LicenseConfigurationsController],
  providers: [
    LicenseConfigurationCommands,
    LicenseConfigurationQueries,
    ConfigurationSharing,
    LicenseConfigurationStates,
  ],
  exports: [
    LicenseConfigurationCommands,
    LicenseConfigurationQueries,
    ConfigurationSharing,
    LicenseConfigurationStates,
  ],
})
export class ConfigurationsModule {}
