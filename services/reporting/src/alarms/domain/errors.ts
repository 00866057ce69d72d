import { AwsError } from '@lm/contracts';

/**
 * CloudWatch's errors of the alarm operations, by their shape names in its model. A request its
 * model's errors do not cover (a bad PutMetricAlarm, a bad filter combination) is a validation
 * error, as CloudWatch answers it (ValidationError in the query protocol).
 */
export const invalidRequest = (message: string) => new AwsError('ValidationException', message);
export const alarmNotFound = (name: string) => new AwsError('ResourceNotFound', `No alarm named ${name} exists.`);
export const invalidFormat = (message: string) => new AwsError('InvalidFormatFault', message);
export const alarmLimitExceeded = (quota: number) =>
  new AwsError('LimitExceededFault', `An account can have at most ${quota} alarms in a Region.`);
