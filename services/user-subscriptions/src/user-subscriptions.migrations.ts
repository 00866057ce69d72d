import type { ViewMigrations } from '@lm/service-kit';
import { identityProvidersViews } from './identity-providers/infra/migrations/002-identity-providers';
import { productSubscriptionsViews } from './product-subscriptions/infra/migrations/003-product-subscriptions';
import { secretsViews } from './secrets/infra/migrations/001-secrets';

/**
 * The view migrations of every slice, in the one order the database knows them by: their ids are
 * recorded as applied, so none is ever renamed or reordered.
 */
export const userSubscriptionsMigrations: ViewMigrations = {
  '001-secrets': secretsViews,
  '002-identity-providers': identityProvidersViews,
  '003-product-subscriptions': productSubscriptionsViews,
};
