import type { OperationOf, Request } from '@lm/service-kit';

/** The request a handler of one of this API's operations receives: the caller and the input typed from the model. */
export type LinuxSubscriptionsRequest<Op extends OperationOf<'license-manager-linux-subscriptions'>> = Request<
  Op,
  'license-manager-linux-subscriptions'
>;
