import type { ViewMigrations } from '@lm/service-kit';
import { subscriptionProvidersViews } from './subscription-providers/infra/migrations/subscription-providers';

/**
 * The view migrations of every slice, in the one order the database knows them by: their ids are
 * recorded as applied, so none is ever renamed or reordered.
 */
export const linuxSubscriptionsMigrations: ViewMigrations = {
  '003-subscription-providers': subscriptionProvidersViews,
};
