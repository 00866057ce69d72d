import { invalidParameterValue, resourceNotFound, validation } from '@lm/contracts';

/** Also what another account gets: a generator's existence is not disclosed. */
export const reportGeneratorNotFound = (arn: string) => resourceNotFound(`Report generator ${arn}`);

/** The same ClientToken with another request: the first request's result cannot answer it. */
export const clientTokenReused = (clientToken: string) =>
  validation(`ClientToken ${clientToken} was already used for a different request.`);

/** The tag operations' model lists no ResourceNotFoundException: a generator they cannot find is a bad ResourceArn. */
export const taggedGeneratorNotFound = (arn: string) =>
  invalidParameterValue(`Report generator ${arn} does not exist.`);
