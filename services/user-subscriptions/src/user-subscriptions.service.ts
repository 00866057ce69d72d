import { defineService, masterKeySettings } from '@lm/service-kit';
import { secretsProjection } from './secrets/application/secret.projection';
import { SecretPurgeSweep } from './secrets/application/secret-purge.sweep';
import { SecretsModule, secretsSettings } from './secrets/secrets.module';
import { USER_SUBSCRIPTIONS_SCHEMA } from './shared/schema';
import { userSubscriptionsMigrations } from './user-subscriptions.migrations';

/**
 * The user-subscriptions service: user-based subscriptions (the license-manager-user-subscriptions
 * API) against the administrator's own directory. Its first slice is secrets (the Secrets Manager
 * subset, where directory credentials live, sealed with the master key). The API's own operations
 * have no handler yet: the gateway answers each with 501 NotImplementedException. Its events go out
 * on lm.events.user-subscriptions.*.
 */
export const UserSubscriptionsService = defineService({
  name: 'user-subscriptions',
  schema: USER_SUBSCRIPTIONS_SCHEMA,
  migrations: userSubscriptionsMigrations,
  config: { ...masterKeySettings, ...secretsSettings },
  projections: [secretsProjection],
  schedules: [{ task: SecretPurgeSweep, intervalMs: (config) => config.secretPurgeSweepMs }],
  imports: [SecretsModule],
});
