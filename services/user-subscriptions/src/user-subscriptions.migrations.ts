import type { ViewMigrations } from '@lm/service-kit';
import { identityProvidersViews } from './identity-providers/infra/migrations/002-identity-providers';
import { productSubscriptionsViews } from './product-subscriptions/infra/migrations/003-product-subscriptions';
import { instancesViews } from './instances/infra/migrations/004-instances';
import { instanceStreamsViews } from './instances/infra/migrations/007-instance-streams';
import { licenseServerEndpointsViews } from './license-server-endpoints/infra/migrations/006-license-server-endpoints';
import { secretsViews } from './secrets/infra/migrations/001-secrets';
import { userAssociationsViews } from './user-associations/infra/migrations/005-user-associations';

/**
 * The view migrations of every slice, in the one order the database knows them by: their ids are
 * recorded as applied, so none is ever renamed or reordered.
 */
export const userSubscriptionsMigrations: ViewMigrations = {
  '001-secrets': secretsViews,
  '002-identity-providers': identityProvidersViews,
  '003-product-subscriptions': productSubscriptionsViews,
  '004-instances': instancesViews,
  '005-user-associations': userAssociationsViews,
  '006-license-server-endpoints': licenseServerEndpointsViews,
  '007-instance-streams': instanceStreamsViews,
};
