import { tagMapWithout } from '@lm/contracts';
import { createHash } from 'node:crypto';
import type { UserSubscriptions } from '@lm/api-model';
import type { ProductSubscriptionEventData } from '@lm/contracts';
import { statusMachine } from '../../shared/status-machine';
import type { Product } from '../../shared/products';
import type { ProductSubscriptionEvent } from './events';

/** The console's words: Subscribing, Subscribed, Failed, Unsubscribing, Unsubscribed. */
export type ProductSubscriptionStatus = 'SUBSCRIBING' | 'SUBSCRIBED' | 'FAILED' | 'UNSUBSCRIBING' | 'UNSUBSCRIBED';

/**
 * A user's subscription to a product: SUBSCRIBING once the directory has confirmed the user,
 * SUBSCRIBED when the subscription (and, for Visual Studio and Office, the user's RDS SAL) is in
 * place, FAILED when it could not be; UNSUBSCRIBING, then UNSUBSCRIBED. A user unsubscribed or
 * failed may be subscribed again (a new period on the same ProductUserArn).
 */
export const PRODUCT_SUBSCRIPTION_STATUSES = statusMachine<ProductSubscriptionStatus>(['SUBSCRIBING'], {
  SUBSCRIBING: ['SUBSCRIBED', 'FAILED'],
  SUBSCRIBED: ['UNSUBSCRIBING'],
  FAILED: ['SUBSCRIBING'],
  UNSUBSCRIBING: ['UNSUBSCRIBED'],
  UNSUBSCRIBED: ['SUBSCRIBING'],
});

export type SubscriptionOrigin = ProductSubscriptionEventData['ProductSubscriptionRequested']['origin'];

/** One user's subscription to one product through one identity provider; instants are ISO strings. */
export interface ProductSubscription {
  arn: string;
  accountId: string;
  region: string;
  product: Product;
  /** As the directory spells it. */
  username: string;
  domain: string;
  directoryId: string;
  identityProviderArn: string;
  origin: SubscriptionOrigin;
  tags: Record<string, string>;
  status: ProductSubscriptionStatus;
  statusMessage?: string;
  startDate?: string;
  endDate?: string;
  requestedAt: string;
  updatedAt: string;
}

export interface ProductSubscriptionState {
  subscription?: ProductSubscription;
}

export const initialProductSubscriptionState = (): ProductSubscriptionState => ({});

export function evolveProductSubscription(
  state: ProductSubscriptionState,
  event: ProductSubscriptionEvent,
): ProductSubscriptionState {
  const { at } = event.data;
  if (event.type === 'ProductSubscriptionRequested') {
    const { arn, accountId, region, username, domain, directoryId, identityProviderArn, origin, tags } = event.data;
    return {
      subscription: {
        arn,
        accountId,
        region,
        product: event.data.product as Product,
        username,
        domain,
        directoryId,
        identityProviderArn,
        origin,
        tags,
        status: 'SUBSCRIBING',
        requestedAt: at,
        updatedAt: at,
      },
    };
  }
  const subscription = state.subscription;
  if (!subscription) return state;
  const changed = (changes: Partial<ProductSubscription>): ProductSubscriptionState => ({
    subscription: { ...subscription, ...changes, updatedAt: at },
  });
  switch (event.type) {
    case 'ProductSubscriptionSucceeded':
      return changed({ status: 'SUBSCRIBED', statusMessage: undefined, startDate: at, endDate: undefined });
    case 'ProductSubscriptionFailed':
      return changed({ status: 'FAILED', statusMessage: event.data.statusMessage });
    case 'ProductUnsubscriptionRequested':
      return changed({ status: 'UNSUBSCRIBING' });
    case 'ProductUnsubscribed':
      return changed({ status: 'UNSUBSCRIBED', endDate: at });
    case 'ProductUserTagged':
      return changed({ tags: { ...subscription.tags, ...event.data.tags } });
    case 'ProductUserUntagged':
      return changed({ tags: tagMapWithout(subscription.tags, event.data.tagKeys) });
  }
}

/** Statuses in which the user holds (or is getting) the product. */
export const ACTIVE_STATUSES: readonly ProductSubscriptionStatus[] = ['SUBSCRIBING', 'SUBSCRIBED', 'UNSUBSCRIBING'];

/**
 * The id of a user's subscription to a product through a directory, the same for every request
 * that names them (logon names and domains compare without case, as Active Directory's do): so
 * that concurrent Starts for one user and product meet on one stream.
 */
export function productUserId(key: {
  accountId: string;
  directoryId: string;
  product: string;
  domain: string;
  username: string;
}): string {
  const text = [key.accountId, key.directoryId, key.product, key.domain.toLowerCase(), key.username.toLowerCase()].join(
    '\n',
  );
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

export const productSubscriptionStream = (id: string) => `product-user-${id}`;

/** The subscription as the API's ProductUserSummary tells it. */
export function toProductUserSummary(subscription: ProductSubscription): UserSubscriptions.ProductUserSummary {
  return {
    Username: subscription.username,
    Product: subscription.product,
    IdentityProvider: { ActiveDirectoryIdentityProvider: { DirectoryId: subscription.directoryId } },
    Status: subscription.status,
    ProductUserArn: subscription.arn,
    StatusMessage: subscription.statusMessage,
    Domain: subscription.domain,
    SubscriptionStartDate: subscription.startDate,
    SubscriptionEndDate: subscription.endDate,
  };
}
