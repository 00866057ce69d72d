import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DeregistrationBlockers } from '../../identity-providers/application/deregistration-blockers';
import { LicenseServerEndpoints } from './license-server-endpoints';

/** The guide: an RDS SAL directory is deregistered only once its license server endpoint is deleted. */
@Injectable()
export class LicenseServerEndpointBlocker implements OnModuleInit {
  constructor(
    private readonly blockers: DeregistrationBlockers,
    private readonly endpoints: LicenseServerEndpoints,
  ) {}

  onModuleInit(): void {
    this.blockers.add(async (registration) =>
      (await this.endpoints.liveOf(registration.accountId, registration.arn)).map(
        (endpoint) => `license server endpoint ${endpoint.arn} is ${endpoint.status}: delete it first`,
      ),
    );
  }
}
