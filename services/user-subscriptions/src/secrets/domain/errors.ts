import { AwsError } from '@lm/contracts';

/** Also what another account gets for a secret it does not own: existence is not disclosed. */
export const secretNotFound = () =>
  new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");

export const secretValueNotFound = (what: string) =>
  new AwsError('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for ${what}.`);

export const secretExists = (name: string) =>
  new AwsError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);

export const versionExists = () =>
  new AwsError('ResourceExistsException', "You can't modify an existing version, you can only create a new version.");

export const markedForDeletion = () =>
  new AwsError(
    'InvalidRequestException',
    "You can't perform this operation on the secret because it was marked for deletion.",
  );

export const invalidRequest = (message: string) => new AwsError('InvalidRequestException', message);

export const invalidParameter = (message: string) => new AwsError('InvalidParameterException', message);
