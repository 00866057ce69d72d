import type { Decider } from '@lm/event-store';
import { conflict, resourceNotFound } from '@lm/contracts';
import type { ProductSubscriptionCommand } from './commands';
import type { ProductSubscriptionEvent } from './events';
import {
  evolveProductSubscription,
  initialProductSubscriptionState,
  PRODUCT_SUBSCRIPTION_STATUSES,
  type ProductSubscription,
  type ProductSubscriptionState,
} from './product-subscription';

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
      if (!current || current.accountId !== command.accountId || current.arn !== command.arn)
        throw resourceNotFound(`Product user ${command.arn}`);
      if (!PRODUCT_SUBSCRIPTION_STATUSES.can(current.status, 'UNSUBSCRIBING'))
        throw conflict(
          `User ${current.username} is ${current.status} for ${current.product}: only a subscribed user can be unsubscribed.`,
        );
      if (command.blockers.length > 0)
        throw conflict(
          `User ${current.username} cannot be unsubscribed from ${current.product} yet: ${command.blockers.join('; ')}.`,
        );
      return [{ type: 'ProductUnsubscriptionRequested', data: refOf(current, command.now) }];
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
