import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DeactivationBlockers } from '../../settings/application/deactivation-blockers';
import { SubscriptionProviderQueries } from './subscription-provider.queries';

/**
 * The guide's order of deactivation: a registered Red Hat provider is deregistered before Linux
 * subscriptions discovery is disabled; until then UpdateServiceSettings refuses to disable it.
 */
@Injectable()
export class RegisteredProviderBlocker implements OnModuleInit {
  constructor(
    private readonly blockers: DeactivationBlockers,
    private readonly queries: SubscriptionProviderQueries,
  ) {}

  onModuleInit(): void {
    this.blockers.add(async (accountId) => {
      const provider = await this.queries.registeredIn(accountId);
      return provider
        ? `the ${provider.source} subscription provider ${provider.arn} is registered: deregister it first`
        : undefined;
    });
  }
}
