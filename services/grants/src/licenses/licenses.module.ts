import { Module } from '@nestjs/common';
import { milliseconds, tagOperationsController } from '@lm/service-kit';
import { GrantsModule } from '../grants/grants.module';
import { SigningKeysModule } from '../signing-keys/signing-keys.module';
import { LicenceAndGrantTags } from './application/licence-and-grant-tags';
import { LicenseExpirySweep } from './application/license-expiry.sweep';
import { LicenseCommands } from './application/license.commands';
import { LicenseQueries } from './application/license.queries';
import { LicensesController } from './infra/licenses.controller';

/** The licences slice's settings, read with every other slice's when the service starts. */
export const licensesSettings = {
  /** LM_LICENSE_EXPIRY_SWEEP_MS: the pause between two sweeps of the licences past their Validity.End. */
  licenseExpirySweepMs: milliseconds('LM_LICENSE_EXPIRY_SWEEP_MS', 60_000),
};

/**
 * Seller-issued licences and their versions, signed with the issuer's key; the expiry sweep ends
 * (or renews) their terms. Tags of licences and of grants are served here.
 */
@Module({
  imports: [GrantsModule, SigningKeysModule],
  controllers: [LicensesController, tagOperationsController('grants', LicenceAndGrantTags, LicenceAndGrantTags)],
  providers: [LicenseCommands, LicenseQueries, LicenseExpirySweep, LicenceAndGrantTags],
})
export class LicensesModule {}
