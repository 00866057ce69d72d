import { AwsError } from '@lm/contracts';

export const tokenNotFound = (tokenId: string) =>
  new AwsError('ResourceNotFoundException', `Token ${tokenId} does not exist.`);

/** What every refused exchange of a token answers: which check failed is not the bearer's business. */
export const invalidToken = () =>
  new AwsError('AuthorizationException', 'The token is not valid, has expired or was deleted.');
