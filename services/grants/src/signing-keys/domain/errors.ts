import { AwsError } from '@lm/contracts';

/** Also what another account gets for a key it does not own: existence is not disclosed. */
export const keyNotFound = (keyIdOrArn: string) =>
  new AwsError('NotFoundException', `Key '${keyIdOrArn}' does not exist`);

export const keyInvalidState = (message: string) => new AwsError('KMSInvalidStateException', message);

export const kmsUnsupported = (message: string) => new AwsError('UnsupportedOperationException', message);

export const kmsAccessDenied = (message: string) => new AwsError('AccessDeniedException', message);
