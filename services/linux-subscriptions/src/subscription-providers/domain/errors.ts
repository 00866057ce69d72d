import { resourceNotFound, validation } from '@lm/contracts';

/** Also what another account gets: a provider's existence is not disclosed. */
export const subscriptionProviderNotFound = (arn: string) => resourceNotFound(`Subscription provider ${arn}`);

/** The model has no ConflictException: a second provider of a source is a ValidationException. */
export const alreadyRegistered = (source: string, arn: string) =>
  validation(
    `A ${source} subscription provider is already registered in this account (${arn}): deregister it before registering another.`,
  );
