import type { Product } from '../../shared/products';
import type { SubscriptionOrigin } from './product-subscription';

interface Context {
  arn: string;
  accountId: string;
  now: Date;
}

export type SubscriptionOutcome = { subscribed: true } | { subscribed: false; statusMessage: string };

export type ProductSubscriptionCommand =
  /** The directory has confirmed the user (the application asked it before). */
  | ({
      type: 'StartProductSubscription';
      region: string;
      product: Product;
      username: string;
      domain: string;
      directoryId: string;
      identityProviderArn: string;
      origin: SubscriptionOrigin;
      tags: Record<string, string>;
    } & Context)
  /** `blockers`: why the user cannot be unsubscribed yet (unsubscribe-blockers.ts), each a sentence. */
  | ({ type: 'StopProductSubscription'; blockers: string[] } & Context)
  | ({ type: 'TagProductUser'; tags: Record<string, string> } & Context)
  | ({ type: 'UntagProductUser'; tagKeys: string[] } & Context)
  /** The service's own: the end of a subscription's or an unsubscription's step. */
  | ({ type: 'CompleteSubscription'; outcome: SubscriptionOutcome } & Omit<Context, 'accountId'>)
  | ({ type: 'CompleteUnsubscription' } & Omit<Context, 'accountId'>);
