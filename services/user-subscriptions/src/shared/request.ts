import type { OperationOf, Request } from '@lm/service-kit';

/** The request a handler of one of this API's operations receives: the caller and the input typed from the model. */
export type UserSubscriptionsRequest<Op extends OperationOf<'license-manager-user-subscriptions'>> = Request<
  Op,
  'license-manager-user-subscriptions'
>;
