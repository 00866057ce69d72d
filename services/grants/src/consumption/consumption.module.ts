import { Module } from '@nestjs/common';
import { CONFIG, MasterKeyModule, milliseconds, type ConfigOf } from '@lm/service-kit';
import { GrantsModule } from '../grants/grants.module';
import { SigningKeysModule } from '../signing-keys/signing-keys.module';
import { LicenseConsumptionCommands } from './application/license-consumption.commands';
import { ConsumableLicenses } from './application/license-consumption.licenses';
import { LicenseConsumptionQueries } from './application/license-consumption.queries';
import { ConsumptionTokens } from './application/consumption-tokens';
import { ConsumptionRecords } from './application/license-consumption.records';
import { ConsumptionSettings } from './application/license-consumption.settings';
import { LicenseConsumptionSweep } from './application/license-consumption.sweep';
import { LicenseUsageStreams } from './application/license-usage-streams';
import { ConsumptionController } from './infra/consumption.controller';

/** The consumption slice's settings, read with every other slice's when the service starts. */
export const consumptionSettings = {
  /** LM_CONSUMPTION_LICENSE_CACHE_MS: how long a licence lookup is reused (0: never). */
  consumptionLicenseCacheMs: milliseconds('LM_CONSUMPTION_LICENSE_CACHE_MS', 1_000, { min: 0 }),
  /** LM_CONSUMPTION_SWEEP_MS: the pause between two sweeps of the leases whose time ran out. */
  consumptionSweepMs: milliseconds('LM_CONSUMPTION_SWEEP_MS', 60_000),
};

/**
 * Consumption of licences: checkout, borrow (signed tokens), check-in, extend and usage, decided on
 * each licence's usage stream; the lease sweep records the leases whose time ran out.
 */
@Module({
  imports: [GrantsModule, SigningKeysModule, MasterKeyModule],
  controllers: [ConsumptionController],
  providers: [
    {
      provide: ConsumptionSettings,
      useFactory: (config: ConfigOf<typeof consumptionSettings>) =>
        new ConsumptionSettings(config.consumptionLicenseCacheMs),
      inject: [CONFIG],
    },
    LicenseUsageStreams,
    ConsumableLicenses,
    ConsumptionRecords,
    ConsumptionTokens,
    LicenseConsumptionCommands,
    LicenseConsumptionQueries,
    LicenseConsumptionSweep,
  ],
})
export class ConsumptionModule {}
