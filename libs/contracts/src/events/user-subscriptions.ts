/**
 * Events of the user-subscriptions service (lm.events.user-subscriptions.*), with the schema version
 * of each type. Identity provider and product subscription events are part of the contract (every
 * status change is one, and reporting counts subscribed users per product from them); the others'
 * data stays in the service's domain until a service consumes them.
 */
export const USER_SUBSCRIPTIONS_EVENT_VERSIONS = {
  // Secrets (the Secrets Manager subset): values only ever sealed with the master key
  SecretCreated: 1,
  SecretValuePut: 1,
  SecretTagged: 1,
  SecretUntagged: 1,
  SecretDeletionScheduled: 1,
  SecretDeleted: 1,
  // Identity providers: REGISTERING -> REGISTERED | FAILED, DEREGISTERING -> DEREGISTERED
  IdentityProviderRegistrationStarted: 1,
  IdentityProviderRegistered: 1,
  IdentityProviderRegistrationFailed: 1,
  IdentityProviderSettingsUpdated: 1,
  IdentityProviderDeregistrationStarted: 1,
  IdentityProviderDeregistered: 1,
  IdentityProviderTagged: 1,
  IdentityProviderUntagged: 1,
  // Product subscriptions: SUBSCRIBING -> SUBSCRIBED | FAILED, UNSUBSCRIBING -> UNSUBSCRIBED
  ProductSubscriptionRequested: 1,
  ProductSubscriptionSucceeded: 1,
  ProductSubscriptionFailed: 1,
  ProductUnsubscriptionRequested: 1,
  ProductUnsubscribed: 1,
  ProductUserTagged: 1,
  ProductUserUntagged: 1,
  // Instances (followed from discovery's events): ACTIVE <-> UNHEALTHY, -> TERMINATED
  InstanceTracked: 1,
  InstanceAttributesChanged: 1,
  InstanceBecameActive: 1,
  InstanceBecameUnhealthy: 1,
  InstanceTerminated: 1,
  // User associations: ASSOCIATING -> ASSOCIATED | FAILED, -> DISASSOCIATED
  UserAssociationRequested: 1,
  UserAssociated: 1,
  UserAssociationFailed: 1,
  UserDisassociated: 1,
  InstanceUserTagged: 1,
  InstanceUserUntagged: 1,
  // License server endpoints (RDS SAL): PROVISIONING -> PROVISIONED | PROVISIONING_FAILED,
  // DELETING -> DELETED | DELETION_FAILED; an integrator starts the servers and reports them
  LicenseServerEndpointRequested: 1,
  LicenseServerEndpointProvisioned: 1,
  LicenseServerEndpointProvisioningFailed: 1,
  LicenseServersHealthReported: 1,
  LicenseServerEndpointDeletionRequested: 1,
  LicenseServerEndpointDeleted: 1,
  LicenseServerEndpointDeletionFailed: 1,
  LicenseServerEndpointTagged: 1,
  LicenseServerEndpointUntagged: 1,
} as const;

/**
 * An Active Directory as the service reaches it: its domain controllers, the id of the secret
 * that holds its bind credentials (never a value), its subnets. `directoryId`: d-... for an AWS
 * managed directory, sd-... for a self-managed one.
 */
export interface ActiveDirectoryDescription {
  directoryId: string;
  type: 'SELF_MANAGED' | 'AWS_MANAGED';
  shared: boolean;
  domainName: string;
  /** One or two domain controllers (DomainIpv4List or DomainIpv6List). */
  addresses: string[];
  ipVersion: 'IPV4' | 'IPV6';
  secretId: string;
  subnets: string[];
}

/** An identity provider's Settings: the subnets and security group of its VPC endpoints. */
export interface VpcSettingsDescription {
  subnets: string[];
  securityGroupId: string;
}

/** What every event of one registration carries: which registration, whose, of what. */
export interface IdentityProviderRef {
  arn: string;
  accountId: string;
  product: string;
  directoryId: string;
  at: string;
}

/** The data of the identity provider events (all at version 1), by type. */
export interface IdentityProviderEventData {
  IdentityProviderRegistrationStarted: IdentityProviderRef & {
    region: string;
    directory: ActiveDirectoryDescription;
    settings?: VpcSettingsDescription;
    tags: Record<string, string>;
  };
  IdentityProviderRegistered: IdentityProviderRef;
  /** `failureMessage`: the LDAP error, or why the secret could not be used. */
  IdentityProviderRegistrationFailed: IdentityProviderRef & { failureMessage: string };
  IdentityProviderSettingsUpdated: IdentityProviderRef & { settings: VpcSettingsDescription };
  IdentityProviderDeregistrationStarted: IdentityProviderRef;
  IdentityProviderDeregistered: IdentityProviderRef;
  /** TagResource: `tags` added or changed. */
  IdentityProviderTagged: IdentityProviderRef & { tags: Record<string, string> };
  /** UntagResource: `tagKeys` removed (only keys it had). */
  IdentityProviderUntagged: IdentityProviderRef & { tagKeys: string[] };
}

/** What every event of one user's subscription to a product carries. */
export interface ProductSubscriptionRef {
  /** The ProductUserArn. */
  arn: string;
  accountId: string;
  product: string;
  username: string;
  /** The user's domain: the request's Domain, else the directory's. */
  domain: string;
  directoryId: string;
  identityProviderArn: string;
  at: string;
}

/** The data of the product subscription events (all at version 1), by type. */
export interface ProductSubscriptionEventData {
  /** `origin`: asked for, or added with a Visual Studio or Office subscription (RDS SAL, as the guide says). */
  ProductSubscriptionRequested: ProductSubscriptionRef & {
    region: string;
    origin: 'REQUESTED' | 'WITH_PRODUCT';
    tags: Record<string, string>;
  };
  /** The user is subscribed from `at` (SubscriptionStartDate). */
  ProductSubscriptionSucceeded: ProductSubscriptionRef;
  ProductSubscriptionFailed: ProductSubscriptionRef & { statusMessage: string };
  ProductUnsubscriptionRequested: ProductSubscriptionRef;
  /** The subscription ended at `at` (SubscriptionEndDate). */
  ProductUnsubscribed: ProductSubscriptionRef;
  /** TagResource on the ProductUserArn: `tags` added or changed. */
  ProductUserTagged: ProductSubscriptionRef & { tags: Record<string, string> };
  /** UntagResource: `tagKeys` removed (only keys it had). */
  ProductUserUntagged: ProductSubscriptionRef & { tagKeys: string[] };
}

/** What every event of one user's association with one instance carries. */
export interface InstanceUserRef {
  /** The InstanceUserArn. */
  arn: string;
  accountId: string;
  instanceId: string;
  directoryId: string;
  /** The user as the directory spells it, and its domain (lower case). */
  username: string;
  domain: string;
  at: string;
}

/** The data of the user association events (all at version 1), by type. */
export interface UserAssociationEventData {
  /**
   * `products`: what the instance provides that the user is subscribed to, which the association
   * gives them (sorted); `identityProviderArns`: the registrations (one per product) it goes through.
   */
  UserAssociationRequested: InstanceUserRef & {
    region: string;
    products: string[];
    identityProviderArns: string[];
    tags: Record<string, string>;
  };
  /** Associated from `at` (AssociationDate). */
  UserAssociated: InstanceUserRef;
  UserAssociationFailed: InstanceUserRef & { statusMessage: string };
  /**
   * Disassociated at `at` (DisassociationDate): asked for, or because the instance was terminated
   * (the guide: termination disassociates its users, a stop does not); `statusMessage` says which.
   */
  UserDisassociated: InstanceUserRef & { reason: 'REQUESTED' | 'INSTANCE_TERMINATED'; statusMessage: string };
  /** TagResource on the InstanceUserArn: `tags` added or changed. */
  InstanceUserTagged: InstanceUserRef & { tags: Record<string, string> };
  /** UntagResource: `tagKeys` removed (only keys it had). */
  InstanceUserUntagged: InstanceUserRef & { tagKeys: string[] };
}

/** What every event of one license server endpoint carries. */
export interface LicenseServerEndpointRef {
  /** The LicenseServerEndpointArn. */
  arn: string;
  accountId: string;
  /** The RDS SAL registration the endpoint serves (one endpoint per registration). */
  identityProviderArn: string;
  serverType: 'RDS_SAL';
  at: string;
}

/** A license server as its integrator reports it. */
export interface LicenseServerDescription {
  ipv4Address?: string;
  ipv6Address?: string;
  healthStatus: 'HEALTHY' | 'UNHEALTHY' | 'NOT_APPLICABLE';
}

/** The data of the license server endpoint events (all at version 1), by type. */
export interface LicenseServerEndpointEventData {
  /**
   * What an integrator needs to start the servers: the directory they join (its domain
   * controllers and subnets) and the id of the secret holding the RDS SAL administrator's
   * credentials (`secretId`, never a value).
   */
  LicenseServerEndpointRequested: LicenseServerEndpointRef & {
    region: string;
    endpointId: string;
    secretId: string;
    directory: ActiveDirectoryDescription;
    tags: Record<string, string>;
  };
  /** The integrator started the servers: `endpoint` is the address clients use. */
  LicenseServerEndpointProvisioned: LicenseServerEndpointRef & {
    endpoint: string;
    servers: LicenseServerDescription[];
  };
  LicenseServerEndpointProvisioningFailed: LicenseServerEndpointRef & { statusMessage: string };
  /** A later report of a provisioned endpoint's servers that changed their addresses or health. */
  LicenseServersHealthReported: LicenseServerEndpointRef & { endpoint: string; servers: LicenseServerDescription[] };
  LicenseServerEndpointDeletionRequested: LicenseServerEndpointRef;
  LicenseServerEndpointDeleted: LicenseServerEndpointRef;
  LicenseServerEndpointDeletionFailed: LicenseServerEndpointRef & { statusMessage: string };
  /** TagResource: `tags` added or replaced by key. */
  LicenseServerEndpointTagged: LicenseServerEndpointRef & { tags: Record<string, string> };
  LicenseServerEndpointUntagged: LicenseServerEndpointRef & { tagKeys: string[] };
}
