import { apiModels, type ApiId } from '@lm/api-model';
import { inventoryResourcesProjection } from '../../services/discovery/src/application/inventory-resource.projection';
import { conversionTasksProjection } from '../../services/conversion/src/tasks/application/conversion-task.projection';
import { licenseConsumptionsProjection } from '../../services/grants/src/consumption/application/license-consumption.projection';
import { licenseUsageEpochsProjection } from '../../services/grants/src/consumption/application/license-usage-epoch.projection';
import { grantsProjection } from '../../services/grants/src/grants/application/grant.projection';
import { licensesProjection } from '../../services/grants/src/licenses/application/license.projection';
import { signingKeysProjection } from '../../services/grants/src/signing-keys/application/signing-key.projection';
import { refreshTokensProjection } from '../../services/grants/src/tokens/application/refresh-token.projection';
import { licenseAssetGroupsProjection } from '../../services/licensing/src/asset-groups/application/asset-groups.projection';
import { configurationMembershipProjection } from '../../services/licensing/src/asset-groups/application/configuration-membership.projection';
import { settingsMembershipProjection } from '../../services/licensing/src/asset-groups/application/settings-membership.projection';
import { licenseConfigurationAssociationsProjection } from '../../services/licensing/src/configurations/application/license-configuration-associations.projection';
import { licenseConfigurationsProjection } from '../../services/licensing/src/configurations/application/license-configuration.projection';
import { serviceSettingsProjection } from '../../services/licensing/src/settings/application/service-settings.projection';
import { linuxInstancesProjection } from '../../services/linux-subscriptions/src/instances/application/instance.projection';
import { discoverySettingsProjection } from '../../services/linux-subscriptions/src/settings/application/discovery-settings.projection';
import { subscriptionProvidersProjection } from '../../services/linux-subscriptions/src/subscription-providers/application/subscription-provider.projection';
import { alarmsProjection } from '../../services/reporting/src/alarms/application/alarm.projection';
import { reportGeneratorsProjection } from '../../services/reporting/src/report-generators/application/report-generator.projection';
import { identityProvidersProjection } from '../../services/user-subscriptions/src/identity-providers/application/identity-provider.projection';
import { instancesProjection } from '../../services/user-subscriptions/src/instances/application/instance.projection';
import { licenseServerEndpointsProjection } from '../../services/user-subscriptions/src/license-server-endpoints/application/license-server-endpoint.projection';
import { productSubscriptionsProjection } from '../../services/user-subscriptions/src/product-subscriptions/application/product-subscription.projection';
import { secretsProjection } from '../../services/user-subscriptions/src/secrets/application/secret.projection';
import { userAssociationsProjection } from '../../services/user-subscriptions/src/user-associations/application/association.projection';
import type { ServiceViews } from '../support/view-rebuild';

/**
 * A kind of resource the fuzzer may create: the operation that creates it and where its identity
 * is (a member of the answer, or of the input where the answer is empty), the list operation that
 * shows it, and the operations that may take it away.
 */
export interface FuzzedResource {
  api: ApiId;
  create: string;
  id: string;
  idFromInput?: boolean;
  list: string;
  deletes: string[];
}

export const FUZZED_RESOURCES: FuzzedResource[] = [
  {
    api: 'license-manager',
    create: 'CreateLicense',
    id: 'LicenseArn',
    list: 'ListLicenses',
    deletes: ['DeleteLicense'],
  },
  {
    api: 'license-manager',
    create: 'CreateLicenseConfiguration',
    id: 'LicenseConfigurationArn',
    list: 'ListLicenseConfigurations',
    deletes: ['DeleteLicenseConfiguration'],
  },
  {
    api: 'license-manager',
    create: 'CreateGrant',
    id: 'GrantArn',
    list: 'ListDistributedGrants',
    deletes: ['DeleteGrant'],
  },
  {
    api: 'license-manager',
    create: 'CreateLicenseManagerReportGenerator',
    id: 'LicenseManagerReportGeneratorArn',
    list: 'ListLicenseManagerReportGenerators',
    deletes: ['DeleteLicenseManagerReportGenerator'],
  },
  {
    api: 'license-manager',
    create: 'CreateLicenseAssetGroup',
    id: 'LicenseAssetGroupArn',
    list: 'ListLicenseAssetGroups',
    deletes: ['DeleteLicenseAssetGroup'],
  },
  {
    api: 'license-manager',
    create: 'CreateLicenseAssetRuleset',
    id: 'LicenseAssetRulesetArn',
    list: 'ListLicenseAssetRulesets',
    deletes: ['DeleteLicenseAssetRuleset'],
  },
  { api: 'license-manager', create: 'CreateToken', id: 'TokenId', list: 'ListTokens', deletes: ['DeleteToken'] },
  {
    api: 'license-manager-user-subscriptions',
    create: 'RegisterIdentityProvider',
    id: 'IdentityProviderArn',
    list: 'ListIdentityProviders',
    deletes: ['DeregisterIdentityProvider'],
  },
  {
    api: 'license-manager-user-subscriptions',
    create: 'CreateLicenseServerEndpoint',
    id: 'LicenseServerEndpointArn',
    list: 'ListLicenseServerEndpoints',
    deletes: ['DeleteLicenseServerEndpoint'],
  },
  {
    api: 'license-manager-linux-subscriptions',
    create: 'RegisterSubscriptionProvider',
    id: 'SubscriptionProviderArn',
    list: 'ListRegisteredSubscriptionProviders',
    deletes: ['DeregisterSubscriptionProvider'],
  },
  { api: 'kms', create: 'CreateKey', id: 'KeyId', list: 'ListKeys', deletes: ['ScheduleKeyDeletion'] },
  { api: 'secretsmanager', create: 'CreateSecret', id: 'ARN', list: 'ListSecrets', deletes: ['DeleteSecret'] },
  {
    api: 'monitoring',
    create: 'PutMetricAlarm',
    id: 'AlarmName',
    idFromInput: true,
    list: 'DescribeAlarms',
    deletes: ['DeleteAlarms'],
  },
];

/** Every string a value holds under the member `name`, at any depth. */
export function stringsUnder(value: unknown, name: string, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) stringsUnder(item, name, found);
  else if (value !== null && typeof value === 'object') {
    for (const [key, member] of Object.entries(value)) {
      if (key === name && typeof member === 'string') found.push(member);
      else stringsUnder(member, name, found);
    }
  }
  return found;
}

/** Every string a value holds, at any depth (the identities an accepted delete may have taken away). */
export function allStrings(value: unknown, found: string[] = []): string[] {
  if (typeof value === 'string') found.push(value);
  else if (Array.isArray(value)) for (const item of value) allStrings(item, found);
  else if (value !== null && typeof value === 'object')
    for (const member of Object.values(value)) allStrings(member, found);
  return found;
}

/** The page token members of a list operation's input and output. */
export function pageTokenOf(api: ApiId, list: string): { input: string; output: string } {
  const model = apiModels[api];
  const operation = model.operations[list];
  const inputMembers = model.shapes[operation.input ?? '']?.members ?? {};
  const outputMembers = model.shapes[operation.output ?? '']?.members ?? {};
  const input = ['NextToken', 'Marker', 'nextToken'].find((name) => name in inputMembers)!;
  const output = ['NextToken', 'NextMarker', 'nextToken'].find((name) => name in outputMembers)!;
  return { input, output };
}

/** Each service's views and the projections that write them, in the order the service runs them. */
export const SERVICE_VIEWS: ServiceViews[] = [
  {
    schema: 'licensing',
    projections: [
      licenseConfigurationsProjection,
      licenseConfigurationAssociationsProjection,
      serviceSettingsProjection,
      licenseAssetGroupsProjection,
      configurationMembershipProjection,
      settingsMembershipProjection,
    ],
    tables: [
      'license_configurations',
      'license_configuration_associations',
      'license_operation_failures',
      'service_settings',
      'license_asset_groups',
      'license_asset_rulesets',
      'license_asset_group_rulesets',
    ],
  },
  {
    schema: 'grants',
    projections: [
      licensesProjection,
      grantsProjection,
      refreshTokensProjection,
      signingKeysProjection,
      licenseConsumptionsProjection,
      licenseUsageEpochsProjection,
    ],
    tables: [
      'licenses',
      'license_versions',
      'grants',
      'grant_versions',
      'refresh_tokens',
      'signing_keys',
      'license_consumptions',
      'license_usage_epochs',
    ],
  },
  { schema: 'discovery', projections: [inventoryResourcesProjection], tables: ['inventory_resources'] },
  {
    schema: 'reporting',
    projections: [reportGeneratorsProjection, alarmsProjection],
    tables: ['report_generators', 'report_generator_client_tokens', 'alarms', 'alarm_history'],
  },
  {
    schema: 'user_subscriptions',
    projections: [
      secretsProjection,
      identityProvidersProjection,
      productSubscriptionsProjection,
      instancesProjection,
      userAssociationsProjection,
      licenseServerEndpointsProjection,
    ],
    tables: [
      'secrets',
      'identity_providers',
      'product_subscriptions',
      'instances',
      'user_associations',
      'license_server_endpoints',
    ],
  },
  {
    schema: 'linux_subscriptions',
    projections: [discoverySettingsProjection, subscriptionProvidersProjection, linuxInstancesProjection],
    tables: ['discovery_settings', 'subscription_providers', 'linux_subscription_instances'],
  },
  { schema: 'conversion', projections: [conversionTasksProjection], tables: ['conversion_tasks'] },
];
