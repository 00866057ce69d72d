import type { SubscriptionProviderSource } from './subscription-provider';

/** What one retrieval from the provider gave: the account's data, or why it could not be read. */
export type RetrievalOutcome =
  | { read: true; retrievedAt: Date; subscriptionCount: number; systemCount: number; registeredInstanceIds: string[] }
  | { read: false; statusMessage: string };

export type SubscriptionProviderCommand =
  | {
      type: 'RegisterSubscriptionProvider';
      arn: string;
      accountId: string;
      region: string;
      source: SubscriptionProviderSource;
      secretArn: string;
      tags: Record<string, string>;
      now: Date;
    }
  | { type: 'RecordRetrieval'; arn: string; outcome: RetrievalOutcome; now: Date }
  | { type: 'DeregisterSubscriptionProvider'; arn: string; accountId: string; now: Date }
  | { type: 'TagSubscriptionProvider'; arn: string; accountId: string; tags: Record<string, string>; now: Date }
  | { type: 'UntagSubscriptionProvider'; arn: string; accountId: string; tagKeys: string[]; now: Date };
