import type { ViewMigrations } from '@lm/service-kit';
import { alarmsViews } from './alarms/infra/migrations/005-alarms';
import { auditTrailViews } from './audit-trail/infra/migrations/003-audit-trail';
import { notificationsViews } from './notifications/infra/migrations/004-notifications';
import { reportGeneratorsViews } from './report-generators/infra/migrations/001-report-generators';
import { usageMetricsViews } from './usage-metrics/infra/migrations/002-usage-metrics';
import { usagePendingSince } from './usage-metrics/infra/migrations/006-usage-pending-since';
import { entitlementUsageViews } from './usage-metrics/infra/migrations/007-entitlement-usage';
import { subscribedUsersViews } from './usage-metrics/infra/migrations/008-subscribed-users';
import { streamCountsShape } from './usage-metrics/infra/migrations/009-stream-counts';
import { runningInstancesViews } from './usage-metrics/infra/migrations/010-running-instances';
import { configurationAssociationsViews } from './usage-metrics/infra/migrations/011-configuration-associations';
import { lockEntitlementUsageLicencesFunction } from './usage-metrics/infra/migrations/012-lock-entitlement-usage-licences';
import { lockUsageConfigurationsFunction } from './usage-metrics/infra/migrations/013-lock-usage-configurations';
import { lockUsageConfigurationsGrouped } from './usage-metrics/infra/migrations/014-lock-usage-configurations-grouped';

/**
 * The view migrations of every slice, in the one order the database knows them by: their ids are
 * recorded as applied, so none is ever renamed or reordered.
 */
export const reportingMigrations: ViewMigrations = {
  '001-report-generators': reportGeneratorsViews,
  '002-usage-metrics': usageMetricsViews,
  '003-audit-trail': auditTrailViews,
  '004-notifications': notificationsViews,
  '005-alarms': alarmsViews,
  '006-usage-pending-since': usagePendingSince,
  '007-entitlement-usage': entitlementUsageViews,
  '008-subscribed-users': subscribedUsersViews,
  '009-stream-counts': streamCountsShape,
  '010-running-instances': runningInstancesViews,
  '011-configuration-associations': configurationAssociationsViews,
  '012-lock-entitlement-usage-licences': lockEntitlementUsageLicencesFunction,
  '013-lock-usage-configurations': lockUsageConfigurationsFunction,
  '014-lock-usage-configurations-grouped': lockUsageConfigurationsGrouped,
};
