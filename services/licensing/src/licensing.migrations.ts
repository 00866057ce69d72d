import { migrationOf, type ViewMigrations } from '@lm/service-kit';
import { licenseConfigurationsViews } from './configurations/infra/migrations/001-license-configurations';
import { associationsView } from './configurations/infra/migrations/002-associations';
import { affinityAndFailures } from './configurations/infra/migrations/003-affinity-and-failures';
import { consumptionFromAssociations } from './configurations/infra/migrations/005-consumption-from-associations';
import { associationsPerConfiguration } from './configurations/infra/migrations/009-associations-per-configuration';
import { licenseAssetGroupsViews } from './asset-groups/infra/migrations/006-license-asset-groups';
import { licenseAssetGrantsViews } from './asset-groups/infra/migrations/007-license-asset-grants';
import { coveringGroupsFunction } from './asset-groups/infra/migrations/008-covering-groups-function';
import { serviceSettingsView } from './settings/infra/migrations/004-service-settings';
import { resourcesView } from './specifications/infra/migrations/002-resources';

/**
 * The view migrations of every slice, in the one order the database knows them by: their ids are
 * recorded as applied, so none is ever renamed or reordered (002 was written before the slices,
 * and runs the inventory copy's half, then the associations').
 */
export const licensingMigrations: ViewMigrations = {
  '001-license-configurations': licenseConfigurationsViews,
  '002-resources-and-associations': migrationOf(resourcesView, associationsView),
  '003-affinity-and-failures': affinityAndFailures,
  '004-service-settings': serviceSettingsView,
  '005-consumption-from-associations': consumptionFromAssociations,
  '006-license-asset-groups': licenseAssetGroupsViews,
  '007-license-asset-grants': licenseAssetGrantsViews,
  '008-covering-groups-function': coveringGroupsFunction,
  '009-associations-per-configuration': associationsPerConfiguration,
};
