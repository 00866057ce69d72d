import { AwsError } from '@lm/contracts';

/** CloudWatch's errors, by their shape names in its model (the gateway gives each its code and status). */
export const invalidParameterValue = (message: string) => new AwsError('InvalidParameterValueException', message);
export const invalidParameterCombination = (message: string) =>
  new AwsError('InvalidParameterCombinationException', message);
export const missingParameter = (message: string) => new AwsError('MissingRequiredParameterException', message);
export const invalidNextToken = (message: string) => new AwsError('InvalidNextToken', message);
