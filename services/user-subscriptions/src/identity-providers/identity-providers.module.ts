import { Module } from '@nestjs/common';
import { CONFIG, milliseconds } from '@lm/service-kit';
import { SecretValues } from '../secrets/application/secret-values';
import { SecretsModule } from '../secrets/secrets.module';
import { resourceTagsOf } from '../shared/tags/resource-tags';
import { ResourceTagsModule } from '../shared/tags/resource-tags.module';
import { DeregistrationBlockers } from './application/deregistration-blockers';
import { DIRECTORY } from './application/directory';
import { IdentityProviderCommands } from './application/identity-provider.commands';
import { IdentityProviderQueries } from './application/identity-provider.queries';
import { IdentityProviderSteps } from './application/identity-provider.steps';
import { RegisteredDirectories } from './application/registered-directories';
import { SECRET_VALUE_READER } from './application/secret-values';
import { IdentityProvidersController } from './infra/identity-providers.controller';
import { directorySettings, ldapDirectory } from './infra/ldap-directory';

/** The identity providers slice's settings, read with the service's when it starts. */
export const identityProvidersSettings = {
  ...directorySettings,
  /**
   * LM_IDENTITY_PROVIDER_SWEEP_MS: how often registrations and deregistrations that a restart left
   * unfinished are looked for (each request starts its own at once).
   */
  identityProviderSweepMs: milliseconds('LM_IDENTITY_PROVIDER_SWEEP_MS', 30_000),
};

/**
 * Identity providers: directories registered per product, reached over LDAP with the credentials
 * of their Secrets Manager secret. Exports what the other slices build on: the registrations
 * (RegisteredDirectories), the directory, and the deregistration blockers they add to. Its
 * registrations take tags (ResourceTags).
 */
@Module({
  imports: [SecretsModule, ResourceTagsModule],
  controllers: [IdentityProvidersController],
  providers: [
    IdentityProviderCommands,
    IdentityProviderQueries,
    IdentityProviderSteps,
    resourceTagsOf('identity-provider', IdentityProviderCommands),
    RegisteredDirectories,
    DeregistrationBlockers,
    { provide: SECRET_VALUE_READER, useExisting: SecretValues },
    { provide: DIRECTORY, useFactory: ldapDirectory, inject: [CONFIG] },
  ],
  exports: [RegisteredDirectories, DeregistrationBlockers, DIRECTORY],
})
export class IdentityProvidersModule {}
