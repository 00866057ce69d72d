import type { Decider } from '@lm/event-store';
import { conflict, resourceNotFound, presentTagKeys, tagMapWith } from '@lm/contracts';
import type { ProductSubscriptionCommand } from './commands';
import type { ProductSubscriptionEvent } from './events';
import {
  evolveProductSubscription,
  initialProductSubscriptionState,
  PRODUCT_SUBSCRIPTION_STATUSES,
  type ProductSubscription,
  type ProductSubscriptionState,
} from './product-subscription';

/** The caller's subscription named by `arn`; anyone else is told it does not exist. */
function own(state: ProductSubscriptionState, command: { arn: string; accountId: string }): ProductSubscription {
  const current = state.subscription;
  if (!current || current.accountId !== command.accountId || current.arn !== command.arn)
    throw resourceNotFound(`Product user ${command.arn}`);
  return current;
}

/** What every event of a subscription carries. */
const refOf = (subscription: ProductSubscription, now: Date) => ({
  arn: subscription.arn,
  accountId: subscription.accountId,
  product: subscription.product,
  username: subscription.username,
  domain: subscription.domain,
  directoryId: subscription.directoryId,
  identityProviderArn: subscription.identityProviderArn,
  at: now.toISOString(),
});

export function decideProductSubscription(
  command: ProductSubscriptionCommand,
  state: ProductSubscriptionState,
): ProductSubscriptionEvent[] {
  const current = state.subscription;
  switch (command.type) {
    case 'StartProductSubscription': {
      if (current && !PRODUCT_SUBSCRIPTION_STATUSES.can(current.status, 'SUBSCRIBING')) {
        // The RDS SAL a Visual Studio or Office subscription brings along: one the user has is enough.
        if (command.origin === 'WITH_PRODUCT') return [];
        throw conflict(
          `User ${current.username} is already subscribed to ${current.product} (${current.arn}, ${current.status}): one subscription per user and product.`,
        );
      }
      const { arn, accountId, region, product, username, domain, directoryId, identityProviderArn, origin, tags } =
        command;
      return [
        {
          type: 'ProductSubscriptionRequested',
          data: {
            ...{ arn, accountId, region, product, username, domain, directoryId, identityProviderArn, origin, tags },
            at: command.now.toISOString(),
          },
        },
      ];
    }
    case 'StopProductSubscription': {
      const subscription = own(state, command);
      if (!PRODUCT_SUBSCRIPTION_STATUSES.can(subscription.status, 'UNSUBSCRIBING'))
        throw conflict(
          `User ${subscription.username} is ${subscription.status} for ${subscription.product}: only a subscribed user can be unsubscribed.`,
        );
      if (command.blockers.length > 0)
        throw conflict(
          `User ${subscription.username} cannot be unsubscribed from ${subscription.product} yet: ${command.blockers.join('; ')}.`,
        );
      return [{ type: 'ProductUnsubscriptionRequested', data: refOf(subscription, command.now) }];
    }
    case 'TagProductUser': {
      const subscription = own(state, command);
      tagMapWith(subscription.tags, command.tags);
      return [{ type: 'ProductUserTagged', data: { ...refOf(subscription, command.now), tags: command.tags } }];
    }
    case 'UntagProductUser': {
      const subscription = own(state, command);
      const tagKeys = presentTagKeys(subscription.tags, command.tagKeys);
      if (tagKeys.length === 0) return [];
      return [{ type: 'ProductUserUntagged', data: { ...refOf(subscription, command.now), tagKeys } }];
    }
    case 'CompleteSubscription': {
      // Settled already (by another replica), or a later period: nothing to record.
      if (current?.arn !== command.arn || current.status !== 'SUBSCRIBING') return [];
      const ref = refOf(current, command.now);
      return command.outcome.subscribed
        ? [{ type: 'ProductSubscriptionSucceeded', data: ref }]
        : [{ type: 'ProductSubscriptionFailed', data: { ...ref, statusMessage: command.outcome.statusMessage } }];
    }
    case 'CompleteUnsubscription': {
      if (current?.arn !== command.arn || current.status !== 'UNSUBSCRIBING') return [];
      return [{ type: 'ProductUnsubscribed', data: refOf(current, command.now) }];
    }
  }
}

export const productSubscriptionDecider: Decider<
  ProductSubscriptionCommand,
  ProductSubscriptionEvent,
  ProductSubscriptionState
> = {
  initialState: initialProductSubscriptionState,
  evolve: evolveProductSubscription,
  decide: decideProductSubscription,
};
