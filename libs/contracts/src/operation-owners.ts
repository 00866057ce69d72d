import {
  apiModels,
  type ApiId,
  type CloudTrail,
  type Extensions,
  type Kms,
  type LicenseManager,
  type LinuxSubscriptions,
  type Monitoring,
  type SecretsManager,
  type Sts,
  type UserSubscriptions,
} from '@lm/api-model';

/** The services of the system; each owns the operations of one bounded context. */
export const SERVICE_NAMES = [
  'licensing',
  'discovery',
  'grants',
  'conversion',
  'user-subscriptions',
  'linux-subscriptions',
  'reporting',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** The services this build contains (a folder under services/ with its main.ts): what the gateway waits for by default. */
export const BUILT_SERVICES: readonly ServiceName[] = [
  'licensing',
  'discovery',
  'grants',
  'reporting',
  'user-subscriptions',
  'linux-subscriptions',
  'conversion',
];

/** The operations of the license-manager API, by the service that owns them (tags: see OWNER_BY_RESOURCE_TYPE). */
const LICENSE_MANAGER_OWNERS = {
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
} as const satisfies Record<ServiceName, readonly (keyof LicenseManager.Operations)[]>;

/**
 * APIs whose every operation one service serves: the subscription APIs their own services; the
 * KMS subset (licence signing keys) and STS (temporary credentials for consuming a licence) grants;
 * the CloudWatch subset (the usage metrics) and the CloudTrail subset (the audit trail) reporting;
 * the Secrets Manager subset (the directories' credentials) user-subscriptions.
 */
const API_OWNERS = {
  'license-manager-user-subscriptions': 'user-subscriptions',
  'license-manager-linux-subscriptions': 'linux-subscriptions',
  kms: 'grants',
  sts: 'grants',
  monitoring: 'reporting',
  cloudtrail: 'reporting',
  secretsmanager: 'user-subscriptions',
} as const satisfies Partial<Record<ApiId, ServiceName>>;

interface OperationsOfApi {
  'license-manager-user-subscriptions': UserSubscriptions.Operations;
  'license-manager-linux-subscriptions': LinuxSubscriptions.Operations;
  kms: Kms.Operations;
  sts: Sts.Operations;
  monitoring: Monitoring.Operations;
  cloudtrail: CloudTrail.Operations;
  secretsmanager: SecretsManager.Operations;
}

/**
 * This product's integration operations (the extensions API): inventory goes to discovery, launch
 * admission to licensing, license server reports to user-subscriptions, license type conversion
 * results to conversion.
 */
const EXTENSION_OWNERS = {
  ReportResources: 'discovery',
  AuthorizeLaunch: 'licensing',
  ReportLicenseServers: 'user-subscriptions',
  ReportConversionResult: 'conversion',
} as const satisfies Record<keyof Extensions.Operations, ServiceName>;

/**
 * Operations that no client calls: one service asks another over NATS request/reply (the
 * gateway grants for temporary credentials; licensing discovery for a resource it has not
 * heard of yet). They are served on the owner's subjects like the others.
 */
const INTERNAL_OWNERS = {
  ResolveSessionCredentials: 'grants',
  DescribeInventoryResources: 'discovery',
} as const satisfies Record<string, ServiceName>;

/** Which service owns the resources an ARN's resource type names (the license-manager tag operations go there). */
const OWNER_BY_RESOURCE_TYPE = {
  'license-configuration': 'licensing',
  'license-asset-group': 'licensing',
  'license-asset-ruleset': 'licensing',
  ruleset: 'licensing',
  license: 'grants',
  grant: 'grants',
  'report-generator': 'reporting',
} as const satisfies Record<string, ServiceName>;

const TAG_OPERATIONS = ['TagResource', 'UntagResource', 'ListTagsForResource'] as const;
type TagOperation = (typeof TAG_OPERATIONS)[number];
const LICENSE_MANAGER_ARN = /^arn:aws:license-manager:[a-z0-9-]*:\d{0,12}:([a-z-]+)[:/]/;

type ValueKeys<T, V> = { [K in keyof T]: T[K] extends V ? K : never }[keyof T];

/**
 * APIs whose operations their owner serves under their IAM action name (`secretsmanager:TagResource`)
 * rather than the bare one: Secrets Manager's TagResource and UntagResource would otherwise share
 * the subjects of the owner's own API's (license-manager-user-subscriptions) tag operations.
 */
const ACTION_NAMED_APIS = ['secretsmanager'] as const;
type ActionNamedApi = (typeof ACTION_NAMED_APIS)[number];

/** The name an operation of an API carries on its owner's NATS subjects, health, metrics and logs. */
export function ownedOperationName(api: ApiId, operation: string): string {
  return (ACTION_NAMED_APIS as readonly string[]).includes(api) ? `${api}:${operation}` : operation;
}

type OwnedOperationsOfApi<A extends keyof OperationsOfApi> = A extends ActionNamedApi
  ? `${A}:${keyof OperationsOfApi[A] & string}`
  : keyof OperationsOfApi[A];

/**
 * Every operation a service owns, derived from the tables above: the only names its NATS
 * subjects may carry (`operationSubject` and the services' handlers are typed with it).
 */
export type OwnedOperation<S extends ServiceName> =
  | (typeof LICENSE_MANAGER_OWNERS)[S][number]
  | (S extends (typeof OWNER_BY_RESOURCE_TYPE)[keyof typeof OWNER_BY_RESOURCE_TYPE] ? TagOperation : never)
  | ValueKeys<typeof EXTENSION_OWNERS, S>
  | ValueKeys<typeof INTERNAL_OWNERS, S>
  | {
      [A in keyof typeof API_OWNERS]: (typeof API_OWNERS)[A] extends S ? OwnedOperationsOfApi<A> : never;
    }[keyof typeof API_OWNERS];

/** The operations a service owns (every API), as the type OwnedOperation<S> names them. */
export function operationsOwnedBy<S extends ServiceName>(service: S): OwnedOperation<S>[] {
  const apis = Object.entries(API_OWNERS).filter(([, owner]) => owner === service);
  const owned = [
    ...LICENSE_MANAGER_OWNERS[service],
    ...(Object.values(OWNER_BY_RESOURCE_TYPE).some((owner) => owner === service) ? TAG_OPERATIONS : []),
    ...Object.entries(EXTENSION_OWNERS).flatMap(([op, owner]) => (owner === service ? [op] : [])),
    ...Object.entries(INTERNAL_OWNERS).flatMap(([op, owner]) => (owner === service ? [op] : [])),
    ...apis.flatMap(([api]) =>
      Object.keys(apiModels[api as ApiId].operations).map((operation) => ownedOperationName(api as ApiId, operation)),
    ),
  ];
  return [...new Set(owned)] as OwnedOperation<S>[];
}

const OWNER_BY_OPERATION = new Map<string, ServiceName>(
  Object.entries(LICENSE_MANAGER_OWNERS).flatMap(([service, operations]) =>
    operations.map((op) => [op, service as ServiceName]),
  ),
);

export type OwnerResolution = { service: ServiceName } | { error: string };

/**
 * The service that serves an operation. The subscription APIs, KMS and STS each belong to one
 * service; in license-manager the tag operations go to the owner of the resource their ARN names.
 */
export function resolveOwner(api: ApiId, operation: string, input: Record<string, unknown>): OwnerResolution {
  const apiOwner = (API_OWNERS as Partial<Record<ApiId, ServiceName>>)[api];
  if (apiOwner) return { service: apiOwner };
  if (api === 'license-manager-extensions') {
    const service = (EXTENSION_OWNERS as Record<string, ServiceName>)[operation];
    return service ? { service } : { error: `No service owns ${operation}.` };
  }
  if ((TAG_OPERATIONS as readonly string[]).includes(operation)) {
    const arn = String(input.ResourceArn ?? '');
    const resourceType = LICENSE_MANAGER_ARN.exec(arn)?.[1];
    const service = resourceType ? (OWNER_BY_RESOURCE_TYPE as Record<string, ServiceName>)[resourceType] : undefined;
    return service ? { service } : { error: `${arn} is not the ARN of a License Manager resource that takes tags.` };
  }
  const service = OWNER_BY_OPERATION.get(operation);
  return service ? { service } : { error: `No service owns ${operation}.` };
}

export const ALL_LICENSE_MANAGER_OPERATIONS = [...OWNER_BY_OPERATION.keys(), ...TAG_OPERATIONS];
