import { Module } from '@nestjs/common';
import { GrantCommands } from './application/grant.commands';
import { GrantDistribution } from './application/grant-distribution.consumer';
import { GrantQueries } from './application/grant.queries';
import { LicenseAccess } from './application/license-access';
import { OrganizationIntegrations } from './application/organization-integration.queries';
import { ViewLicenseAccess } from './application/view-license-access';
import { GrantsController } from './infra/grants.controller';

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
  ],
  exports: [LicenseAccess, GrantCommands, GrantQueries, GrantDistribution],
})
export class GrantsModule {}
