import { AwsError } from '@lm/contracts';

/**
 * CloudWatch's errors, by their shape names in its model (the gateway gives each its code and
 * status), beside @lm/contracts' invalidParameterValue, which CloudWatch shares.
 */
export const invalidParameterCombination = (message: string) =>
  new AwsError('InvalidParameterCombinationException', message);
export const missingParameter = (message: string) => new AwsError('MissingRequiredParameterException', message);
export const invalidNextToken = (message: string) => new AwsError('InvalidNextToken', message);

/**
 * GetMetricData's model lists no error for a bad query: CloudWatch answers it as a validation
 * error (ValidationError in the query protocol), as the gateway answers constraint violations.
 */
export function asValidationError(error: unknown): unknown {
  const bad = [
    'InvalidParameterValueException',
    'InvalidParameterCombinationException',
    'MissingRequiredParameterException',
  ];
  return error instanceof AwsError && bad.includes(error.code)
    ? new AwsError('ValidationException', error.message)
    : error;
}
