import { Module } from '@nestjs/common';
import { MasterKeyModule, milliseconds } from '@lm/service-kit';
import { SecretPurgeSweep } from './application/secret-purge.sweep';
import { SecretSealing } from './application/secret-sealing';
import { SecretValues } from './application/secret-values';
import { SecretCommands } from './application/secret.commands';
import { SecretQueries } from './application/secret.queries';
import { SecretsManagerController } from './infra/secrets-manager.controller';

/** The secrets slice's settings, read with the service's when it starts. */
export const secretsSettings = {
  /** LM_SECRET_PURGE_SWEEP_MS: how often secrets past their recovery window are deleted for good. */
  secretPurgeSweepMs: milliseconds('LM_SECRET_PURGE_SWEEP_MS', 60 * 60_000),
};

/**
 * The Secrets Manager subset: secrets whose values are sealed with the master key, the purge of
 * those past their recovery window, and SecretValues, through which the service's other slices
 * read a credential.
 */
@Module({
  imports: [MasterKeyModule],
  controllers: [SecretsManagerController],
  providers: [SecretSealing, SecretQueries, SecretCommands, SecretValues, SecretPurgeSweep],
  exports: [SecretValues],
})
export class SecretsModule {}
