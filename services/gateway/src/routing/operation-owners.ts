import type { ApiId } from '@lm/api-model';

/** The services of the system; each owns the operations of one bounded context. */
export type ServiceName =
  'licensing' | 'discovery' | 'grants' | 'conversion' | 'user-subscriptions' | 'linux-subscriptions' | 'reporting';

const LICENSE_MANAGER_OWNERS: Record<ServiceName, readonly string[]> = {
  licensing: [
    'CreateLicenseConfiguration',
    'GetLicenseConfiguration',
    'ListLicenseConfigurations',
    'UpdateLicenseConfiguration',
    'DeleteLicenseConfiguration',
    'ListLicenseConfigurationsForOrganization',
    'UpdateLicenseSpecificationsForResource',
    'ListLicenseSpecificationsForResource',
    'ListAssociationsForLicenseConfiguration',
    'ListUsageForLicenseConfiguration',
    'ListFailuresForLicenseConfigurationOperations',
    'GetServiceSettings',
    'UpdateServiceSettings',
    'CreateLicenseAssetGroup',
    'GetLicenseAssetGroup',
    'UpdateLicenseAssetGroup',
    'DeleteLicenseAssetGroup',
    'ListLicenseAssetGroups',
    'ListAssetsForLicenseAssetGroup',
    'CreateLicenseAssetRuleset',
    'GetLicenseAssetRuleset',
    'UpdateLicenseAssetRuleset',
    'DeleteLicenseAssetRuleset',
    'ListLicenseAssetRulesets',
  ],
  discovery: ['ListResourceInventory'],
  grants: [
    'CreateLicense',
    'CreateLicenseVersion',
    'GetLicense',
    'ListLicenses',
    'ListLicenseVersions',
    'DeleteLicense',
    'CreateGrant',
    'CreateGrantVersion',
    'GetGrant',
    'DeleteGrant',
    'AcceptGrant',
    'RejectGrant',
    'ListDistributedGrants',
    'ListReceivedGrants',
    'ListReceivedGrantsForOrganization',
    'ListReceivedLicenses',
    'ListReceivedLicensesForOrganization',
    'CheckoutLicense',
    'CheckoutBorrowLicense',
    'CheckInLicense',
    'ExtendLicenseConsumption',
    'GetLicenseUsage',
    'CreateToken',
    'ListTokens',
    'DeleteToken',
    'GetAccessToken',
  ],
  conversion: ['CreateLicenseConversionTaskForResource', 'GetLicenseConversionTask', 'ListLicenseConversionTasks'],
  reporting: [
    'CreateLicenseManagerReportGenerator',
    'GetLicenseManagerReportGenerator',
    'UpdateLicenseManagerReportGenerator',
    'DeleteLicenseManagerReportGenerator',
    'ListLicenseManagerReportGenerators',
  ],
  'user-subscriptions': [],
  'linux-subscriptions': [],
};

const OWNER_BY_OPERATION = new Map<string, ServiceName>(
  Object.entries(LICENSE_MANAGER_OWNERS).flatMap(([service, operations]) =>
    operations.map((op) => [op, service as ServiceName]),
  ),
);

/** Which service owns the resources an ARN's resource type names (for the tag operations). */
const OWNER_BY_RESOURCE_TYPE: Record<string, ServiceName> = {
  'license-configuration': 'licensing',
  'license-asset-group': 'licensing',
  'license-asset-ruleset': 'licensing',
  ruleset: 'licensing',
  license: 'grants',
  grant: 'grants',
  'report-generator': 'reporting',
};

/**
 * APIs whose every operation one service serves: the subscription APIs their own services; the
 * KMS subset (licence signing keys) and STS (temporary credentials for consuming a licence) grants.
 */
const API_OWNERS: Partial<Record<ApiId, ServiceName>> = {
  'license-manager-user-subscriptions': 'user-subscriptions',
  'license-manager-linux-subscriptions': 'linux-subscriptions',
  kms: 'grants',
  sts: 'grants',
};

/** This product's integration operations: inventory goes to discovery, launch admission to licensing. */
const EXTENSION_OWNERS: Record<string, ServiceName> = {
  ReportResources: 'discovery',
  AuthorizeLaunch: 'licensing',
};

const TAG_OPERATIONS = new Set(['TagResource', 'UntagResource', 'ListTagsForResource']);
const LICENSE_MANAGER_ARN = /^arn:aws:license-manager:[a-z0-9-]*:\d{0,12}:([a-z-]+)[:/]/;

export type OwnerResolution = { service: ServiceName } | { error: string };

/**
 * The service that serves an operation. The subscription APIs, KMS and STS each belong to one
 * service; in license-manager the tag operations go to the owner of the resource their ARN names.
 */
export function resolveOwner(api: ApiId, operation: string, input: Record<string, unknown>): OwnerResolution {
  const apiOwner = API_OWNERS[api];
  if (apiOwner) return { service: apiOwner };
  if (api === 'license-manager-extensions') {
    const service = EXTENSION_OWNERS[operation];
    return service ? { service } : { error: `No service owns ${operation}.` };
  }
  if (TAG_OPERATIONS.has(operation)) {
    const arn = String(input.ResourceArn ?? '');
    const resourceType = LICENSE_MANAGER_ARN.exec(arn)?.[1];
    const service = resourceType ? OWNER_BY_RESOURCE_TYPE[resourceType] : undefined;
    return service ? { service } : { error: `${arn} is not the ARN of a License Manager resource that takes tags.` };
  }
  const service = OWNER_BY_OPERATION.get(operation);
  return service ? { service } : { error: `No service owns ${operation}.` };
}

export const ALL_LICENSE_MANAGER_OPERATIONS = [...OWNER_BY_OPERATION.keys(), ...TAG_OPERATIONS];
