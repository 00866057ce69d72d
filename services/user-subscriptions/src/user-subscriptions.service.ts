import { defineService } from '@lm/service-kit';
import { USER_SUBSCRIPTIONS_SCHEMA } from './shared/schema';
import { userSubscriptionsMigrations } from './user-subscriptions.migrations';

/**
 * The user-subscriptions service: user-based subscriptions (the license-manager-user-subscriptions
 * API) against the administrator's own directory. No slice is built yet: the service runs, answers
 * health and owns its operations, and the gateway answers 501 NotImplementedException for each
 * operation no controller handles (docs/user-subscriptions.md).
 */
export const UserSubscriptionsService = defineService({
  name: 'user-subscriptions',
  schema: USER_SUBSCRIPTIONS_SCHEMA,
  migrations: userSubscriptionsMigrations,
});
