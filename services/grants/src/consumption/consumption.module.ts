import { Module } from '@nestjs/common';
import { GrantsModule } from '../grants/grants.module';
import { SigningKeysModule } from '../signing-keys/signing-keys.module';
import { LicenseConsumptionCommands } from './application/license-consumption.commands';
import { ConsumableLicenses } from './application/license-consumption.licenses';
import { LicenseConsumptionQueries } from './application/license-consumption.queries';
import { ConsumptionRecords } from './application/license-consumption.records';
import { ConsumptionSettings } from './application/license-consumption.settings';
import { LicenseConsumptionSweep } from './application/license-consumption.sweep';
import { LicenseUsageStreams } from './application/license-usage-streams';
import { ConsumptionController } from './infra/consumption.controller';

/**
 * Consumption of licences: checkout, borrow (signed tokens), check-in, extend and usage, decided on
 * each licence's usage stream; the lease sweep records the leases whose time ran out.
 */
@Module({
  imports: [GrantsModule, SigningKeysModule],
  controllers: [ConsumptionController],
  providers: [
    { provide: ConsumptionSettings, useFactory: () => ConsumptionSettings.fromEnv() },
    LicenseUsageStreams,
    ConsumableLicenses,
    ConsumptionRecords,
    LicenseConsumptionCommands,
    LicenseConsumptionQueries,
    LicenseConsumptionSweep,
  ],
  exports: [ConsumptionSettings, LicenseConsumptionSweep],
})
export class ConsumptionModule {}
