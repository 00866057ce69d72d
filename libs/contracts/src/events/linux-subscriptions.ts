/**
 * Events of the linux-subscriptions service (lm.events.linux-subscriptions.*), with the schema
 * version of each type. Each slice adds its section; the data of the instance events is part of
 * the contract (reporting counts running instances by subscription from them).
 */
export const LINUX_SUBSCRIPTIONS_EVENT_VERSIONS = {
  // Discovery settings (one stream per account): each source Region's onboarding or offboarding
  // Pending -> Successful | Failed, the guide's status messages
  DiscoverySettingsUpdated: 1,
  DiscoveryStepsSucceeded: 1,
  DiscoveryStepsFailed: 1,
  // Instances: the inventory's instances that use a commercial Linux subscription, one stream each
  LinuxInstanceSubscriptionClassified: 1,
  LinuxInstanceSubscriptionChanged: 1,
  LinuxInstanceDetailsUpdated: 1,
  LinuxInstanceDualSubscriptionChanged: 1,
  LinuxInstanceProviderRegistrationChanged: 1,
  LinuxInstanceGone: 1,
  // Subscription providers (Red Hat Subscription Manager): PENDING -> ACTIVE | INVALID, -> deregistered
  SubscriptionProviderRegistered: 1,
  SubscriptionProviderDataRetrieved: 1,
  SubscriptionProviderInvalidated: 1,
  SubscriptionProviderDeregistered: 1,
  SubscriptionProviderTagged: 1,
  SubscriptionProviderUntagged: 1,
} as const;

/** Whose discovery a step onboards or offboards: the account alone, or its whole organization. */
export type DiscoveryScope = 'Account' | 'Org';

/**
 * One of a source Region's status reasons (the guide's "<Scope>-<Direction>: <state>"): Pending,
 * then Successful, or Failed with `failureReason` ("Account isn't the management account", ...).
 */
export interface DiscoveryStep {
  scope: DiscoveryScope;
  direction: 'Onboard' | 'Offboard';
  state: 'Pending' | 'Successful' | 'Failed';
  failureReason?: string;
}

/** The data of the discovery settings events (all at version 1), by type. */
export interface DiscoverySettingsEventData {
  /**
   * UpdateServiceSettings: the settings as given, the organization's accounts when discovery covers
   * the organization, and each Region's status reasons from now on (at most two a Region; the
   * Regions it no longer names are gone). `revision` counts the updates of the account's settings.
   */
  DiscoverySettingsUpdated: {
    accountId: string;
    homeRegion: string;
    revision: number;
    discovery: 'Enabled' | 'Disabled';
    sourceRegions: string[];
    organizationIntegration: 'Enabled' | 'Disabled';
    organizationAccountIds?: string[];
    regions: Record<string, DiscoveryStep[]>;
    at: string;
  };
  /** The pending steps of that revision in these Regions are done. */
  DiscoveryStepsSucceeded: { accountId: string; revision: number; regions: string[]; at: string };
  /** The pending steps of that revision in these Regions failed: `failureReason` says why. */
  DiscoveryStepsFailed: { accountId: string; revision: number; regions: string[]; failureReason: string; at: string };
}

/** Which instance: an account's, in a Region (the inventory's identity of an EC2 instance). */
export interface LinuxInstanceRef {
  accountId: string;
  region: string;
  instanceId: string;
  /** When it was decided, ISO 8601. */
  at: string;
}

/** What ListLinuxSubscriptionInstances shows of an instance, but its dual subscription and provider. */
export interface LinuxInstanceDescription {
  /** The guide's subscription name, e.g. "Red Hat Enterprise Linux Server". */
  subscriptionName: string;
  /** EC2 subscription-included, Bring Your Own Subscription model (BYOS), or AWS Marketplace subscription. */
  subscriptionType: string;
  osVersion?: string;
  /** As reported (`RunInstances` when it reported none). */
  usageOperation: string;
  /** The AMI's product code ids, sorted. */
  productCodes: string[];
  amiId?: string;
  instanceType?: string;
  /** The EC2 instance state, e.g. running, stopped. */
  status: string;
  /** When discovery last observed the instance changed (LastUpdatedTime), ISO 8601. */
  lastUpdatedTime: string;
}

/** The instance's registration with a subscription provider (Red Hat Subscription Manager), as its last retrieval told it. */
export interface ProviderRegistrationDescription {
  subscriptionProviderArn: string;
  /** When the provider was registered (SubscriptionProviderCreateTime). */
  subscriptionProviderCreateTime: string;
  /** The retrieval that last listed the instance (SubscriptionProviderUpdateTime). */
  subscriptionProviderUpdateTime: string;
}

/** Why an instance has a dual subscription: registered with Red Hat while billed for RHEL, or RHEL 7 ELS (always). */
export type DualSubscriptionReason = 'REGISTERED_WITH_PROVIDER' | 'RHEL_7_ELS';

/**
 * Why an instance is no longer discovered: terminated, inactive in the inventory (not reported for
 * 30 days), reported with billing no commercial Linux subscription has, or its discovery turned off
 * (the guide: disabling discovery removes the discovered data).
 */
export type LinuxInstanceGoneReason = 'TERMINATED' | 'INACTIVE' | 'NO_LINUX_SUBSCRIPTION' | 'DISCOVERY_DEACTIVATED';

/** The data of the instance events (all at version 1), by type. */
export interface LinuxInstanceEventData {
  /** Discovered (again): the whole instance. */
  LinuxInstanceSubscriptionClassified: LinuxInstanceRef &
    LinuxInstanceDescription & {
      dualSubscription: boolean;
      dualSubscriptionReason?: DualSubscriptionReason;
      providerRegistration?: ProviderRegistrationDescription;
    };
  /** Reported with billing that classifies it as another subscription: the whole description. */
  LinuxInstanceSubscriptionChanged: LinuxInstanceRef & LinuxInstanceDescription & { previousSubscriptionName: string };
  /** Its state, type, OS version or AMI changed, the subscription did not: the whole description. */
  LinuxInstanceDetailsUpdated: LinuxInstanceRef & LinuxInstanceDescription;
  LinuxInstanceDualSubscriptionChanged: LinuxInstanceRef & {
    dualSubscription: boolean;
    dualSubscriptionReason?: DualSubscriptionReason;
  };
  /** Registered with the provider, synced with it again (a later update time), or no longer registered (none). */
  LinuxInstanceProviderRegistrationChanged: LinuxInstanceRef & {
    providerRegistration?: ProviderRegistrationDescription;
  };
  /**
   * `observedAt`: the observation that ended it (TERMINATED, NO_LINUX_SUBSCRIPTION), so that an
   * older one read before it changes nothing.
   */
  LinuxInstanceGone: LinuxInstanceRef & { reason: LinuxInstanceGoneReason; observedAt?: string };
}

/** What every event of a subscription provider carries. */
export interface SubscriptionProviderRef {
  /** The SubscriptionProviderArn. */
  arn: string;
  accountId: string;
  /** RedHat. */
  source: string;
  /** When it was decided, ISO 8601. */
  at: string;
}

/**
 * The data of the subscription provider events (all at version 1), by type. The offline token in
 * the provider's secret never appears in them: only the secret's ARN.
 */
export interface SubscriptionProviderEventData {
  /** RegisterSubscriptionProvider: PENDING until the first retrieval. */
  SubscriptionProviderRegistered: SubscriptionProviderRef & {
    region: string;
    secretArn: string;
    tags: Record<string, string>;
  };
  /**
   * A retrieval read the Red Hat account (ACTIVE, LastSuccessfulDataRetrievalTime = retrievedAt):
   * its subscriptions and registered systems, and the EC2 instances those systems run on (their
   * `aws_instance_id` fact), sorted.
   */
  SubscriptionProviderDataRetrieved: SubscriptionProviderRef & {
    retrievedAt: string;
    subscriptionCount: number;
    systemCount: number;
    registeredInstanceIds: string[];
  };
  /** A retrieval could not read the account (INVALID): `statusMessage` says why (SubscriptionProviderStatusMessage). */
  SubscriptionProviderInvalidated: SubscriptionProviderRef & { statusMessage: string };
  /** DeregisterSubscriptionProvider: its instances are no longer registered with it. */
  SubscriptionProviderDeregistered: SubscriptionProviderRef;
  /** TagResource: `tags` added or changed. */
  SubscriptionProviderTagged: SubscriptionProviderRef & { tags: Record<string, string> };
  /** UntagResource: `tagKeys` removed (only keys it had). */
  SubscriptionProviderUntagged: SubscriptionProviderRef & { tagKeys: string[] };
}
