import type { ViewMigrations } from '@lm/service-kit';
import { instancesViews } from './instances/infra/migrations/instances';
import { discoverySettingsViews } from './settings/infra/migrations/001-discovery-settings';
import { subscriptionProvidersViews } from './subscription-providers/infra/migrations/subscription-providers';

/**
 * The view migrations of every slice, in the one order the database knows them by: their ids are
 * recorded as applied, so none is ever renamed or reordered.
 */
export const linuxSubscriptionsMigrations: ViewMigrations = {
  '001-discovery-settings': discoverySettingsViews,
  '003-subscription-providers': subscriptionProvidersViews,
  '004-instances': instancesViews,
};
