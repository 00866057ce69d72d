import type { RegisteredSystem } from '../domain/registered-systems';

/** A subscription of the Red Hat account (the API's subscription list), as the retrieval keeps it. */
export interface RedHatSubscription {
  subscriptionNumber: string;
  subscriptionName: string;
  status: string;
}

/** What one retrieval reads from the Red Hat account. */
export interface RedHatAccountData {
  subscriptions: RedHatSubscription[];
  systems: RegisteredSystem[];
}

/**
 * Red Hat refused the credentials for good (a revoked or expired offline token, an access token
 * refused again after a refresh, a login without the permission to view subscriptions): the
 * provider is INVALID with this message until a retrieval succeeds. Never carries a token.
 */
export class RedHatAccessDeniedError extends Error {}

/**
 * The port to Red Hat Subscription Manager: exchanges the offline token for an access token at
 * Red Hat's SSO and reads the account's subscriptions and registered systems (with their facts).
 * Rejects with RedHatAccessDeniedError when Red Hat refuses the credentials; with any other error
 * when Red Hat could not be read now (unreachable, 5xx, still throttled): the next run tries again.
 */
export interface RedHatSubscriptionManager {
  retrieve(offlineToken: string): Promise<RedHatAccountData>;
}

export const RED_HAT_SUBSCRIPTION_MANAGER = Symbol('RedHatSubscriptionManager');
