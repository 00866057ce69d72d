import { Module } from '@nestjs/common';
import { CLOCK, CONFIG, milliseconds, type Clock } from '@lm/service-kit';
import { SettingsModule } from '../settings/settings.module';
import { PROVIDER_SECRETS } from './application/provider-secrets';
import { ProviderRetrievalSteps } from './application/provider-retrieval.steps';
import { ProviderRetrievals } from './application/provider-retrievals';
import { RED_HAT_SUBSCRIPTION_MANAGER } from './application/red-hat-subscription-manager';
import { RegisteredProviderBlocker } from './application/registered-provider.blocker';
import { SubscriptionProviderCommands } from './application/subscription-provider.commands';
import { SubscriptionProviderQueries } from './application/subscription-provider.queries';
import { SubscriptionProviderTags } from './application/subscription-provider.tags';
import { NatsProviderSecrets } from './infra/nats-provider-secrets';
import { redHatSettings, RhsmClient } from './infra/rhsm-client';
import { SubscriptionProvidersController } from './infra/subscription-providers.controller';
import { ResourceTagsModule } from '../shared/tags/resource-tags.module';

/** The subscription providers slice's settings, read with the service's when it starts. */
export const subscriptionProvidersSettings = {
  ...redHatSettings,
  /** LM_REDHAT_RETRIEVAL_MS: how often every provider's data is read from Red Hat again. */
  providerRetrievalMs: milliseconds('LM_REDHAT_RETRIEVAL_MS', 60 * 60_000),
};

type SubscriptionProvidersConfig = { redHatSsoUrl: string; redHatApiUrl: string };

/**
 * Subscription providers: Red Hat Subscription Manager accounts registered with the secret that
 * holds their offline token (read from the Secrets Manager subset over NATS), retrieved on a
 * schedule. Exports ProviderRetrievals, which the instances slice listens to; adds itself to the
 * settings' DeactivationBlockers; its providers take tags (ResourceTags).
 */
@Module({
  imports: [SettingsModule, ResourceTagsModule],
  controllers: [SubscriptionProvidersController],
  providers: [
    SubscriptionProviderCommands,
    SubscriptionProviderQueries,
    SubscriptionProviderTags,
    ProviderRetrievalSteps,
    ProviderRetrievals,
    RegisteredProviderBlocker,
    { provide: PROVIDER_SECRETS, useClass: NatsProviderSecrets },
    {
      provide: RED_HAT_SUBSCRIPTION_MANAGER,
      useFactory: (config: SubscriptionProvidersConfig, clock: Clock) =>
        new RhsmClient({ ssoUrl: config.redHatSsoUrl, apiUrl: config.redHatApiUrl }, clock),
      inject: [CONFIG, CLOCK],
    },
  ],
  exports: [ProviderRetrievals],
})
export class SubscriptionProvidersModule {}
