import { Module } from '@nestjs/common';
import { ServiceSettingsCommands } from './application/service-settings.commands';
import { ServiceSettingsQueries } from './application/service-settings.queries';
import { ServiceSettingsController } from './infra/service-settings.controller';

/**
 * GetServiceSettings and UpdateServiceSettings (organization integration, cross-account
 * discovery); the other slices read an account's settings through ServiceSettingsQueries.
 */
@Module({
  controllers: [ServiceSettingsController],
  providers: [ServiceSettingsCommands, ServiceSettingsQueries],
  exports: [ServiceSettingsQueries],
})
export class SettingsModule {}
