import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { apiModels } from '@lm/api-model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boto3Batch, type Boto3Call, type Boto3CallResult } from '../support/clients';
import { ADMINISTRATOR, startDirectory, type TestDirectory } from '../support/directory';
import { reportResources } from '../support/inventory';
import { eventually } from '../support/linux-subscriptions';
import { grantedLicense } from '../support/licenses';
import { RedHatStandin } from '../support/redhat-standin';
import { accounts, startSystem, type RunningSystem } from '../support/system';

const owner = accounts.management;
type Attacker = 'member' | 'nestedMember' | 'outsider';
const ATTACKERS: Attacker[] = ['member', 'nestedMember', 'outsider'];
const BUCKET = 'aws-license-manager-service-reports-isolation';
const SUBNET = 'subnet-0150150150150150a';
/** The owner's Linux subscriptions discovery reads this Region too: no other account's settings may show it. */
const OWNER_ONLY_REGION = 'ap-southeast-2';

/** The errors AWS answers a caller about a resource that is not its own: it does not exist, or may not be touched. */
const REFUSALS = [
  'InvalidParameterValueException',
  'ResourceNotFoundException',
  'NotFoundException',
  'AccessDeniedException',
  'AuthorizationException',
];

/** The errors that say a resource is not there (License Manager's own API words it as an invalid parameter). */
const NOT_FOUND = ['ResourceNotFoundException', 'NotFoundException', 'InvalidParameterValueException'];

/** The APIs tried, by boto3's client name (the api-model's ids too). */
type Api =
  | 'license-manager'
  | 'license-manager-user-subscriptions'
  | 'license-manager-linux-subscriptions'
  | 'kms'
  | 'secretsmanager';

/** A call of one operation of one API: its boto3 method is the operation's name in snake case. */
interface Attempt extends Boto3Call {
  api: Api;
  operation: string;
}
const attempt = (api: Api, operation: string, params: Record<string, unknown> = {}, pages = false): Attempt => ({
  api,
  operation,
  name: operation,
  op: operation.replace(/[A-Z]/g, (letter, at: number) => `${at ? '_' : ''}${letter.toLowerCase()}`),
  params,
  ...(pages ? { pages } : {}),
});

/**
 * The errors an operation may refuse another account's resource with: those of REFUSALS, and
 * ValidationException where the model gives the operation no error for a resource not found
 * (UpdateIdentityProviderSettings, RegisterSubscriptionProvider): then it words the refusal as it
 * words a resource that does not exist, or from the ARN alone, so that it tells nothing either way.
 */
const refusalsOf = ({ api, operation }: Attempt): string[] =>
  apiModels[api].operations[operation].errors.some((error) => NOT_FOUND.includes(error))
    ? REFUSALS
    : [...REFUSALS, 'ValidationException'];

/** Each API's tag operations on a resource (its own members' names); KMS's subset has none. */
const TAGGING: Record<Api, (arn: string) => Attempt[]> = {
  'license-manager': (arn) => [
    attempt('license-manager', 'TagResource', { ResourceArn: arn, Tags: [{ Key: 'stolen', Value: 'y' }] }),
    attempt('license-manager', 'UntagResource', { ResourceArn: arn, TagKeys: ['team'] }),
    attempt('license-manager', 'ListTagsForResource', { ResourceArn: arn }),
  ],
  'license-manager-user-subscriptions': (arn) => [
    attempt('license-manager-user-subscriptions', 'TagResource', { ResourceArn: arn, Tags: { stolen: 'y' } }),
    attempt('license-manager-user-subscriptions', 'UntagResource', { ResourceArn: arn, TagKeys: ['team'] }),
    attempt('license-manager-user-subscriptions', 'ListTagsForResource', { ResourceArn: arn }),
  ],
  'license-manager-linux-subscriptions': (arn) => [
    attempt('license-manager-linux-subscriptions', 'TagResource', { resourceArn: arn, tags: { stolen: 'y' } }),
    attempt('license-manager-linux-subscriptions', 'UntagResource', { resourceArn: arn, tagKeys: ['team'] }),
    attempt('license-manager-linux-subscriptions', 'ListTagsForResource', { resourceArn: arn }),
  ],
  secretsmanager: (arn) => [
    attempt('secretsmanager', 'TagResource', { SecretId: arn, Tags: [{ Key: 'stolen', Value: 'y' }] }),
    attempt('secretsmanager', 'UntagResource', { SecretId: arn, TagKeys: ['team'] }),
  ],
  kms: () => [],
};

/** What the owner made of one kind: `id` is what no other account's list may show. */
type Made = { id: string } & Record<string, string>;

/** What every kind's setup can use: the system, the owner's calls, and what earlier kinds made (by kind). */
interface Setup {
  system: RunningSystem;
  directory: TestDirectory;
  made: Record<string, Made>;
  /** The owner's calls of one API, answered (any error throws), by name. */
  call(api: Api, name: string, params?: Record<string, unknown>): Promise<Record<string, any>>;
}

/**
 * One kind of resource in the matrix: how the owner makes it, and every read, update, delete, tag
 * operation (and use, by another API) of it that another account tries.
 */
interface ResourceKind {
  kind: string;
  /** The API of its tag operations (and of the owner's reads of it). */
  api: Api;
  /** Who may not see it (the licence's grantee may); every other account by default. */
  attackers?: Attacker[];
  /** Tagged `team=owner` by the owner (at creation or after): every other account's tag operations are tried. */
  tagged: boolean;
  create(setup: Setup): Promise<Made>;
  attempts(made: Made, setup: Setup): Attempt[];
}

const LM = 'license-manager';
const USER = 'license-manager-user-subscriptions';
const LINUX = 'license-manager-linux-subscriptions';
const OWNER_TAGS = [{ Key: 'team', Value: 'owner' }];
const ASSET_RULES = [
  {
    RuleStatement: {
      InstanceRuleStatement: {
        MatchingRuleStatement: { KeyToMatch: 'Platform', Constraint: 'EQUALS', ValueToMatch: ['Linux'] },
      },
    },
  },
];
const directoryById = (made: Record<string, Made>) => ({
  ActiveDirectoryIdentityProvider: { DirectoryId: made['identity provider'].directoryId },
});
const RDS_SAL = (secretId: string) => ({
  ServerType: 'RDS_SAL',
  ServerSettings: {
    RdsSalSettings: { RdsSalCredentialsProvider: { SecretsManagerCredentialsProvider: { SecretId: secretId } } },
  },
});

/** The matrix: every kind of resource an account owns, in the order they are made (later ones use earlier ones). */
const KINDS: ResourceKind[] = [
  {
    kind: 'license configuration',
    api: LM,
    tagged: true,
    async create({ call }) {
      const created = await call(LM, 'CreateLicenseConfiguration', {
        Name: 'owned',
        LicenseCountingType: 'vCPU',
        Tags: OWNER_TAGS,
      });
      return { id: created.LicenseConfigurationArn };
    },
    attempts: ({ id }) => [
      attempt(LM, 'GetLicenseConfiguration', { LicenseConfigurationArn: id }),
      attempt(LM, 'ListAssociationsForLicenseConfiguration', { LicenseConfigurationArn: id }),
      attempt(LM, 'ListUsageForLicenseConfiguration', { LicenseConfigurationArn: id }),
      attempt(LM, 'ListFailuresForLicenseConfigurationOperations', { LicenseConfigurationArn: id }),
      attempt(LM, 'UpdateLicenseConfiguration', {
        LicenseConfigurationArn: id,
        Name: 'stolen',
        LicenseConfigurationStatus: 'DISABLED',
      }),
      attempt(LM, 'DeleteLicenseConfiguration', { LicenseConfigurationArn: id }),
    ],
  },
  {
    // Granted to the nested member (who may see it): the member and the outsider may not.
    kind: 'licence',
    api: LM,
    attackers: ['member', 'outsider'],
    tagged: true,
    async create({ system, call }) {
      const granted = await grantedLicense(system, {
        issuer: owner,
        grantee: accounts.nestedMember,
        productSku: 'isolation',
        entitlements: [{ Name: 'Seats', Unit: 'Count', MaxCount: 10 }],
        allowedOperations: ['CheckoutLicense', 'ListPurchasedLicenses'],
        consumptionConfiguration: { RenewType: 'None', ProvisionalConfiguration: { MaxTimeToLiveInMinutes: 60 } },
      });
      await call(LM, 'TagResource', { ResourceArn: granted.licenseArn, Tags: OWNER_TAGS });
      return { id: granted.licenseArn, grantArn: granted.grantArn };
    },
    attempts: ({ id }, { system }) => [
      attempt(LM, 'GetLicense', { LicenseArn: id }),
      attempt(LM, 'GetLicenseUsage', { LicenseArn: id }),
      attempt(LM, 'ListLicenseVersions', { LicenseArn: id }),
      attempt(LM, 'CreateLicenseVersion', {
        LicenseArn: id,
        LicenseName: 'stolen',
        ProductName: 'Product',
        Issuer: { Name: 'Thief' },
        HomeRegion: system.region,
        Validity: {
          Begin: new Date(Date.now() - 86_400_000).toISOString(),
          End: new Date(Date.now() + 86_400_000).toISOString(),
        },
        Entitlements: [{ Name: 'Seats', Unit: 'Count', MaxCount: 1000 }],
        ConsumptionConfiguration: { RenewType: 'None' },
        Status: 'AVAILABLE',
        ClientToken: randomUUID(),
      }),
      attempt(LM, 'CreateGrant', {
        GrantName: 'stolen',
        LicenseArn: id,
        Principals: ['arn:aws:iam::333333333333:root'],
        HomeRegion: system.region,
        AllowedOperations: ['CheckoutLicense'],
        ClientToken: randomUUID(),
      }),
      attempt(LM, 'CreateToken', { LicenseArn: id, ClientToken: randomUUID() }),
      attempt(LM, 'DeleteLicense', { LicenseArn: id, SourceVersion: '1' }),
    ],
  },
  {
    kind: 'grant',
    api: LM,
    attackers: ['member', 'outsider'],
    tagged: true,
    async create({ made, call }) {
      const { grantArn } = made.licence;
      await call(LM, 'TagResource', { ResourceArn: grantArn, Tags: OWNER_TAGS });
      return { id: grantArn };
    },
    attempts: ({ id }) => [
      attempt(LM, 'GetGrant', { GrantArn: id }),
      attempt(LM, 'CreateGrantVersion', {
        GrantArn: id,
        GrantName: 'stolen',
        Status: 'DISABLED',
        ClientToken: randomUUID(),
      }),
      attempt(LM, 'AcceptGrant', { GrantArn: id }),
      attempt(LM, 'RejectGrant', { GrantArn: id }),
      attempt(LM, 'DeleteGrant', { GrantArn: id, Version: '2' }),
    ],
  },
  {
    kind: 'report generator',
    api: LM,
    tagged: true,
    async create({ made, call }) {
      await call(LM, 'UpdateServiceSettings', { S3BucketArn: `arn:aws:s3:::${BUCKET}` });
      const created = await call(LM, 'CreateLicenseManagerReportGenerator', {
        ReportGeneratorName: 'owned-report',
        Type: ['LicenseConfigurationSummaryReport'],
        ReportContext: { licenseConfigurationArns: [made['license configuration'].id] },
        ReportFrequency: { value: 1, period: 'DAY' },
        ClientToken: randomUUID(),
        Tags: OWNER_TAGS,
      });
      return { id: created.LicenseManagerReportGeneratorArn };
    },
    attempts: ({ id }, { made }) => [
      attempt(LM, 'GetLicenseManagerReportGenerator', { LicenseManagerReportGeneratorArn: id }),
      attempt(LM, 'UpdateLicenseManagerReportGenerator', {
        LicenseManagerReportGeneratorArn: id,
        ReportGeneratorName: 'stolen',
        Type: ['LicenseConfigurationSummaryReport'],
        ReportContext: { licenseConfigurationArns: [made['license configuration'].id] },
        ReportFrequency: { value: 1, period: 'MONTH' },
        ClientToken: randomUUID(),
      }),
      attempt(LM, 'DeleteLicenseManagerReportGenerator', { LicenseManagerReportGeneratorArn: id }),
    ],
  },
  {
    kind: 'asset ruleset',
    api: LM,
    tagged: true,
    async create({ call }) {
      const created = await call(LM, 'CreateLicenseAssetRuleset', {
        Name: 'owned-ruleset',
        Rules: ASSET_RULES,
        ClientToken: randomUUID(),
        Tags: OWNER_TAGS,
      });
      return { id: created.LicenseAssetRulesetArn };
    },
    attempts: ({ id }) => [
      attempt(LM, 'GetLicenseAssetRuleset', { LicenseAssetRulesetArn: id }),
      attempt(LM, 'UpdateLicenseAssetRuleset', {
        LicenseAssetRulesetArn: id,
        Name: 'stolen',
        Rules: ASSET_RULES,
        ClientToken: randomUUID(),
      }),
      attempt(LM, 'DeleteLicenseAssetRuleset', { LicenseAssetRulesetArn: id }),
    ],
  },
  {
    kind: 'asset group',
    api: LM,
    tagged: true,
    async create({ made, call }) {
      const created = await call(LM, 'CreateLicenseAssetGroup', {
        Name: 'owned-group',
        LicenseAssetGroupConfigurations: [{ UsageDimension: 'vCPU' }],
        AssociatedLicenseAssetRulesetARNs: [made['asset ruleset'].id],
        ClientToken: randomUUID(),
        Tags: OWNER_TAGS,
      });
      return { id: created.LicenseAssetGroupArn };
    },
    attempts: ({ id }, { made }) => [
      attempt(LM, 'GetLicenseAssetGroup', { LicenseAssetGroupArn: id }),
      attempt(LM, 'ListAssetsForLicenseAssetGroup', { LicenseAssetGroupArn: id, AssetType: 'Instance' }),
      attempt(LM, 'UpdateLicenseAssetGroup', {
        LicenseAssetGroupArn: id,
        AssociatedLicenseAssetRulesetARNs: [made['asset ruleset'].id],
        Status: 'DISABLED',
        Name: 'stolen',
        ClientToken: randomUUID(),
      }),
      attempt(LM, 'DeleteLicenseAssetGroup', { LicenseAssetGroupArn: id }),
    ],
  },
  {
    kind: 'token',
    api: LM,
    tagged: false,
    async create({ made, call }) {
      const created = await call(LM, 'CreateToken', { LicenseArn: made.licence.id, ClientToken: randomUUID() });
      return { id: created.TokenId };
    },
    attempts: ({ id }) => [attempt(LM, 'DeleteToken', { TokenId: id })],
  },
  {
    kind: 'KMS key',
    api: 'kms',
    tagged: false,
    async create({ call }) {
      const created = await call('kms', 'CreateKey', { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });
      return { id: created.KeyMetadata.Arn, keyId: created.KeyMetadata.KeyId };
    },
    attempts: ({ id, keyId }) => [
      attempt('kms', 'DescribeKey', { KeyId: id }),
      // A bare key id names a key of the caller's own account: another's is not found.
      { ...attempt('kms', 'DescribeKey', { KeyId: keyId }), name: 'DescribeKey by id' },
      attempt('kms', 'GetPublicKey', { KeyId: id }),
      attempt('kms', 'ScheduleKeyDeletion', { KeyId: id, PendingWindowInDays: 7 }),
    ],
  },
  {
    // The directory administrator's credentials, which the identity provider reads; tagged for Linux subscriptions too.
    kind: 'secret',
    api: 'secretsmanager',
    tagged: true,
    async create({ call }) {
      const created = await call('secretsmanager', 'CreateSecret', {
        Name: 'license-manager-user-admin',
        SecretString: JSON.stringify(ADMINISTRATOR),
        Tags: [...OWNER_TAGS, { Key: 'LicenseManagerLinuxSubscriptions', Value: 'enabled' }],
      });
      await call('secretsmanager', 'CreateSecret', {
        Name: 'license-manager-user-rds',
        SecretString: JSON.stringify(ADMINISTRATOR),
      });
      return { id: created.ARN, name: created.Name };
    },
    attempts: ({ id, name }) => [
      attempt('secretsmanager', 'GetSecretValue', { SecretId: id }),
      // A bare name names a secret of the caller's own account.
      { ...attempt('secretsmanager', 'GetSecretValue', { SecretId: name }), name: 'GetSecretValue by name' },
      attempt('secretsmanager', 'DescribeSecret', { SecretId: id }),
      attempt('secretsmanager', 'PutSecretValue', { SecretId: id, SecretString: 'stolen' }),
      attempt('secretsmanager', 'DeleteSecret', { SecretId: id, ForceDeleteWithoutRecovery: true }),
      // Used by another API: a Red Hat provider reading it.
      attempt(LINUX, 'RegisterSubscriptionProvider', { SecretArn: id, SubscriptionProviderSource: 'RedHat' }),
    ],
  },
  {
    kind: 'identity provider',
    api: USER,
    tagged: true,
    async create({ directory, call }) {
      const registered = await call(USER, 'RegisterIdentityProvider', {
        Product: 'REMOTE_DESKTOP_SERVICES',
        IdentityProvider: {
          ActiveDirectoryIdentityProvider: {
            DirectoryId: 'd-0150150150',
            ActiveDirectoryType: 'AWS_MANAGED',
            ActiveDirectorySettings: {
              DomainName: directory.domainName,
              DomainIpv4List: [directory.host],
              DomainCredentialsProvider: {
                SecretsManagerCredentialsProvider: { SecretId: 'license-manager-user-admin' },
              },
              DomainNetworkSettings: { Subnets: [SUBNET] },
            },
          },
        },
        Settings: { Subnets: [SUBNET], SecurityGroupId: 'sg-0123456789abcdef0' },
      });
      const id = registered.IdentityProviderSummary.IdentityProviderArn;
      const directoryId = 'd-0150150150';
      await call(USER, 'RegisterIdentityProvider', {
        Product: 'VISUAL_STUDIO_ENTERPRISE',
        IdentityProvider: { ActiveDirectoryIdentityProvider: { DirectoryId: directoryId } },
        Settings: { Subnets: [SUBNET], SecurityGroupId: 'sg-0123456789abcdef0' },
      });
      await call(USER, 'TagResource', { ResourceArn: id, Tags: { team: 'owner' } });
      // Registered once the directory answered: the owner's reads are compared from then on.
      await eventually(
        async () => (await call(USER, 'ListIdentityProviders')).IdentityProviderSummaries as { Status: string }[],
        (providers) => providers.length === 2 && providers.every((provider) => provider.Status === 'REGISTERED'),
        60_000,
      );
      return { id, directoryId };
    },
    attempts: ({ id }, { made }) => [
      attempt(USER, 'UpdateIdentityProviderSettings', {
        IdentityProviderArn: id,
        UpdateSettings: { AddSubnets: ['subnet-0ffffffffffffffff'], RemoveSubnets: [] },
      }),
      attempt(USER, 'DeregisterIdentityProvider', { IdentityProviderArn: id }),
      {
        ...attempt(USER, 'DeregisterIdentityProvider', {
          IdentityProvider: directoryById(made),
          Product: 'REMOTE_DESKTOP_SERVICES',
        }),
        name: 'DeregisterIdentityProvider by directory',
      },
      attempt(USER, 'StartProductSubscription', {
        Username: 'bob',
        Product: 'VISUAL_STUDIO_ENTERPRISE',
        IdentityProvider: directoryById(made),
      }),
      attempt(USER, 'CreateLicenseServerEndpoint', {
        IdentityProviderArn: id,
        LicenseServerSettings: RDS_SAL('license-manager-user-rds'),
      }),
    ],
  },
  {
    kind: 'product subscription',
    api: USER,
    tagged: true,
    async create({ made, call }) {
      const started = await call(USER, 'StartProductSubscription', {
        Username: 'alice',
        Product: 'VISUAL_STUDIO_ENTERPRISE',
        IdentityProvider: directoryById(made),
      });
      const id = started.ProductUserSummary.ProductUserArn;
      await call(USER, 'TagResource', { ResourceArn: id, Tags: { team: 'owner' } });
      return { id };
    },
    attempts: ({ id }) => [attempt(USER, 'StopProductSubscription', { ProductUserArn: id })],
  },
  {
    kind: 'instance user',
    api: USER,
    tagged: true,
    async create({ system, made, call }) {
      const instanceId = 'i-0150150150150150a';
      await reportResources(system, [
        {
          accountId: owner.accountId,
          resourceId: instanceId,
          resourceType: 'EC2_INSTANCE',
          state: 'running',
          subnetId: SUBNET,
        },
      ]);
      // Once the instance is listed and alice subscribed: both are read from other slices' events.
      const associated = await eventually(
        () =>
          call(USER, 'AssociateUser', {
            Username: 'alice',
            InstanceId: instanceId,
            IdentityProvider: directoryById(made),
          }).catch(() => undefined),
        (answer) => answer !== undefined,
        60_000,
      );
      if (!associated) throw new Error(`AssociateUser alice on ${instanceId} never succeeded`);
      const id = associated.InstanceUserSummary.InstanceUserArn;
      await call(USER, 'TagResource', { ResourceArn: id, Tags: { team: 'owner' } });
      return { id, instanceId };
    },
    attempts: ({ id, instanceId }, { made }) => [
      attempt(USER, 'DisassociateUser', { InstanceUserArn: id }),
      {
        ...attempt(USER, 'DisassociateUser', {
          Username: 'alice',
          InstanceId: instanceId,
          IdentityProvider: directoryById(made),
        }),
        name: 'DisassociateUser by user and instance',
      },
      attempt(USER, 'AssociateUser', {
        Username: 'bob',
        InstanceId: instanceId,
        IdentityProvider: directoryById(made),
      }),
    ],
  },
  {
    kind: 'license server endpoint',
    api: USER,
    tagged: true,
    async create({ made, call }) {
      const created = await call(USER, 'CreateLicenseServerEndpoint', {
        IdentityProviderArn: made['identity provider'].id,
        LicenseServerSettings: RDS_SAL('license-manager-user-rds'),
        Tags: { team: 'owner' },
      });
      return { id: created.LicenseServerEndpointArn };
    },
    attempts: ({ id }) => [
      attempt(USER, 'DeleteLicenseServerEndpoint', { LicenseServerEndpointArn: id, ServerType: 'RDS_SAL' }),
    ],
  },
  {
    kind: 'subscription provider',
    api: LINUX,
    tagged: true,
    async create({ made, call }) {
      const registered = await call(LINUX, 'RegisterSubscriptionProvider', {
        SecretArn: made.secret.id,
        SubscriptionProviderSource: 'RedHat',
        Tags: { team: 'owner' },
      });
      const id = registered.SubscriptionProviderArn;
      // Its first retrieval (INVALID: the secret holds no Red Hat token) comes before the owner's reads are compared.
      await eventually(
        () => call(LINUX, 'GetRegisteredSubscriptionProvider', { SubscriptionProviderArn: id }),
        (provider) => provider.SubscriptionProviderStatus !== 'PENDING',
        60_000,
      );
      return { id };
    },
    attempts: ({ id }) => [
      attempt(LINUX, 'GetRegisteredSubscriptionProvider', { SubscriptionProviderArn: id }),
      attempt(LINUX, 'DeregisterSubscriptionProvider', { SubscriptionProviderArn: id }),
    ],
  },
  {
    // One per account: another's GetServiceSettings (in LISTS) answers its own, and its updates change only its own.
    kind: 'Linux subscriptions settings',
    api: LINUX,
    tagged: false,
    create: async () => ({ id: OWNER_ONLY_REGION }),
    attempts: () => [],
  },
];

/** Every list operation of each API: none may show another account's resource. */
const LISTS: Record<Api, (made: Record<string, Made>) => Attempt[]> = {
  'license-manager': () =>
    [
      'ListLicenseConfigurations',
      'ListLicenses',
      'ListReceivedLicenses',
      'ListDistributedGrants',
      'ListReceivedGrants',
      'ListLicenseManagerReportGenerators',
      'ListTokens',
      'ListLicenseAssetRulesets',
      'ListLicenseAssetGroups',
    ].map((name) => attempt(LM, name, {}, true)),
  'license-manager-user-subscriptions': (made) => [
    attempt(USER, 'ListIdentityProviders', {}, true),
    attempt(USER, 'ListInstances', {}, true),
    attempt(USER, 'ListLicenseServerEndpoints', {}, true),
    attempt(USER, 'ListProductSubscriptions', { IdentityProvider: directoryById(made) }, true),
    attempt(
      USER,
      'ListUserAssociations',
      { InstanceId: made['instance user'].instanceId, IdentityProvider: directoryById(made) },
      true,
    ),
  ],
  'license-manager-linux-subscriptions': () => [
    attempt(LINUX, 'ListRegisteredSubscriptionProviders', {}, true),
    attempt(LINUX, 'ListLinuxSubscriptionInstances', {}, true),
    attempt(LINUX, 'ListLinuxSubscriptions', {}, true),
    attempt(LINUX, 'GetServiceSettings'),
  ],
  kms: () => [attempt('kms', 'ListKeys', {}, true)],
  secretsmanager: () => [attempt('secretsmanager', 'ListSecrets', {}, true)],
};

const APIS = Object.keys(LISTS) as Api[];

/** Member names ending so change as time passes (a status check, a last access), not because of another account. */
const withoutTimes = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value), (key, item: unknown) => (/(Date|Time)$/.test(key) ? undefined : item));

/**
 * The isolation matrix: every read, update, delete and tag operation on every kind of resource an
 * account owns (License Manager's, the subscription APIs', KMS keys and Secrets Manager secrets),
 * tried by every other account of the development organization (member, nested member,
 * outsider) through boto3; every list operation they have, searched for the resource. Nothing may
 * leak (each call refused with the AWS error, no list shows it) and nothing may change (the owner
 * reads the same before and after).
 */
describe('isolation: another account of the organization can neither see nor change a resource', () => {
  let system: RunningSystem;
  let directory: TestDirectory;
  const standin = new RedHatStandin();
  let reportsDir: string;
  const made: Record<string, Made> = {};
  const resources: { kind: ResourceKind; made: Made; attempts: Attempt[] }[] = [];

  const answers = async (account: (typeof accounts)[keyof typeof accounts], calls: Attempt[]) => {
    const byName: Record<string, Boto3CallResult> = {};
    for (const api of APIS) {
      const mine = calls.filter((call) => call.api === api);
      if (mine.length > 0) Object.assign(byName, await boto3Batch(system, account, api, mine));
    }
    return byName;
  };
  /** What the owner reads of its resources (their reads and tags, every list): must be the same after the attempts. */
  const ownerView = async () => {
    const reads = resources.flatMap(({ kind, attempts }) =>
      attempts
        .filter((call) => call.api === kind.api && /^(Get|List|Describe)/.test(call.name))
        .map((call) => ({ ...call, name: `${kind.kind} ${call.name}` })),
    );
    const view = await answers(owner, [...reads, ...APIS.flatMap((api) => LISTS[api](made))]);
    for (const [name, answer] of Object.entries(view)) expect(answer, name).not.toHaveProperty('error');
    return withoutTimes(view);
  };

  beforeAll(async () => {
    reportsDir = mkdtempSync(join(tmpdir(), 'lm-isolation-reports-'));
    directory = await startDirectory();
    await standin.start();
    system = await startSystem(
      {
        LM_REPORTS_DIR: reportsDir,
        LM_DIRECTORY_LDAP_PORT: String(directory.port),
        LM_REDHAT_SSO_URL: standin.ssoUrl,
        LM_REDHAT_API_URL: standin.apiUrl,
      },
      { startTimeoutMs: 240_000 },
    );
    const setup: Setup = {
      system,
      directory,
      made,
      async call(api, name, params = {}) {
        const answer = (await boto3Batch(system, owner, api, [attempt(api, name, params)]))[name];
        if (answer.error) throw new Error(`${name}: ${JSON.stringify(answer.error)}`);
        return answer.result!;
      },
    };
    // Linux subscriptions discovery on in every account (a provider needs it); the owner's reads one more Region.
    for (const account of [owner, ...ATTACKERS.map((name) => accounts[name])]) {
      const regions = account === owner ? [system.region, OWNER_ONLY_REGION] : [system.region];
      const settings = attempt(LINUX, 'UpdateServiceSettings', {
        LinuxSubscriptionsDiscovery: 'Enabled',
        LinuxSubscriptionsDiscoverySettings: { OrganizationIntegration: 'Disabled', SourceRegions: regions },
      });
      expect((await boto3Batch(system, account, LINUX, [settings])).UpdateServiceSettings).not.toHaveProperty('error');
    }
    for (const kind of KINDS) {
      made[kind.kind] = await kind.create(setup);
      const attempts = [
        ...kind.attempts(made[kind.kind], setup),
        ...(kind.tagged ? TAGGING[kind.api](made[kind.kind].id) : []),
      ];
      resources.push({ kind, made: made[kind.kind], attempts });
    }
  }, 600_000);
  afterAll(async () => {
    await system?.stop();
    await directory?.destroy();
    await standin.stop();
    if (reportsDir) rmSync(reportsDir, { recursive: true, force: true });
  });

  it(
    'refuses every operation on each resource with the AWS error, shows it in no list, and changes nothing',
    { timeout: 600_000 },
    async () => {
      const before = await ownerView();
      const leaks: string[] = [];
      for (const attacker of ATTACKERS) {
        const mine = resources.filter(({ kind }) => (kind.attackers ?? ATTACKERS).includes(attacker));
        const calls = mine.flatMap(({ kind, attempts }) =>
          attempts.map((call) => ({ ...call, name: `${kind.kind} ${call.name}` })),
        );
        const lists = APIS.flatMap((api) => LISTS[api](made));
        const answered = await answers(accounts[attacker], [...calls, ...lists]);
        for (const call of calls) {
          const answer = answered[call.name];
          if (!answer.error) leaks.push(`${attacker} ${call.name}: answered ${JSON.stringify(answer).slice(0, 200)}`);
          else if (!refusalsOf(call).includes(answer.error.Code) || answer.error.Status >= 500)
            leaks.push(`${attacker} ${call.name}: ${answer.error.Status} ${answer.error.Code} ${answer.error.Message}`);
        }
        for (const list of lists) {
          const answer = answered[list.name];
          // A list naming another's resource (a directory, an instance) may refuse it as one: nothing else.
          if (answer.error && (!REFUSALS.includes(answer.error.Code) || answer.error.Status >= 500))
            leaks.push(`${attacker} ${list.name}: ${answer.error.Status} ${answer.error.Code} ${answer.error.Message}`);
          for (const { kind, made: resource } of mine)
            if (JSON.stringify(answer.items ?? answer.result ?? []).includes(resource.id))
              leaks.push(`${attacker} ${list.name} shows the ${kind.kind}`);
        }
      }
      expect(leaks).toEqual([]);
      expect(await ownerView()).toEqual(before);
    },
  );
});
