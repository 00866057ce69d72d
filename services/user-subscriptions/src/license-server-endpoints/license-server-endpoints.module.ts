import { Module } from '@nestjs/common';
import { IdentityProvidersModule } from '../identity-providers/identity-providers.module';
import { SecretsModule } from '../secrets/secrets.module';
import { resourceTagsOf } from '../shared/tags/resource-tags';
import { ResourceTagsModule } from '../shared/tags/resource-tags.module';
import { LicenseServerEndpointBlocker } from './application/license-server-endpoint.blocker';
import { LicenseServerEndpointCommands } from './application/license-server-endpoint.commands';
import { LicenseServerEndpointQueries } from './application/license-server-endpoint.queries';
import { LicenseServerEndpoints } from './application/license-server-endpoints';
import { LicenseServerEndpointsController } from './infra/license-server-endpoints.controller';
import { LicenseServerReportEndpoint } from './infra/license-server-report.endpoint';

/**
 * License server endpoints: RDS SAL endpoints of REGISTERED RDS SAL identity providers, provisioned
 * and removed by an integrator that answers their events with ReportLicenseServers (the extensions
 * API, or the same body on NATS: LicenseServerReportEndpoint). Blocks deregistration while one exists;
 * its endpoints take tags (ResourceTags).
 */
@Module({
  imports: [SecretsModule, IdentityProvidersModule, ResourceTagsModule],
  controllers: [LicenseServerEndpointsController],
  providers: [
    LicenseServerEndpointCommands,
    LicenseServerEndpointQueries,
    LicenseServerEndpoints,
    LicenseServerEndpointBlocker,
    LicenseServerReportEndpoint,
    resourceTagsOf('license-server-endpoint', LicenseServerEndpointCommands),
  ],
  exports: [LicenseServerEndpoints],
})
export class LicenseServerEndpointsModule {}
