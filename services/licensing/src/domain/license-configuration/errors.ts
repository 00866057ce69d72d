import { AwsError } from '@lm/contracts';

export const invalidParameter = (message: string) => new AwsError('InvalidParameterValueException', message);

export const resourceLimitExceeded = (message: string) => new AwsError('ResourceLimitExceededException', message);

/** Also what another account gets for a configuration it does not own: existence is not disclosed. */
export const licenseConfigurationNotFound = (arnOrId: string) =>
  new AwsError('InvalidParameterValueException', `License configuration ${arnOrId} does not exist.`);
