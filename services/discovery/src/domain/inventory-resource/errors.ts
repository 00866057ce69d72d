import { AwsError } from '@lm/contracts';

/** The extensions API's error for a report it refuses as a whole (HTTP 400). */
export const reportValidation = (message: string) => new AwsError('ValidationException', message);

export const invalidParameter = (message: string) => new AwsError('InvalidParameterValueException', message);

export const filterLimitExceeded = (message: string) => new AwsError('FilterLimitExceededException', message);
