import { Module } from '@nestjs/common';
import { positiveInteger } from '@lm/service-kit';
import { GrantCommands } from './application/grant.commands';
import { GrantDistribution } from './application/grant-distribution.consumer';
import { GrantQueries } from './application/grant.queries';
import { LicenseAccess } from './application/license-access';
import { OrganizationIntegrationConsumer } from './application/organization-integration.consumer';
import { OrganizationIntegrations } from './application/organization-integration.queries';
import { ViewLicenseAccess } from './application/view-license-access';
import { GrantsController } from './infra/grants.controller';

/** The grants slice's settings, read with every other slice's when the service starts. */
export const grantsSettings = {
  /** LM_QUOTA_GRANTS_PER_LICENSE: the most grants a licence may have (the guide's 2,000). */
  grantsPerLicense: positiveInteger('LM_QUOTA_GRANTS_PER_LICENSE', 2000),
};

/**
 * Grants of licences to accounts, organizations and OUs, their distribution workflow, and the one
 * place where access to a licence is decided (LicenseAccess), which consumption and tokens ask.
 */
@Module({
  controllers: [GrantsController],
  providers: [
    { provide: LicenseAccess, useClass: ViewLicenseAccess },
    GrantCommands,
    GrantQueries,
    GrantDistribution,
    OrganizationIntegrations,
    OrganizationIntegrationConsumer,
  ],
  exports: [LicenseAccess, GrantCommands, GrantQueries],
})
export class GrantsModule {}
