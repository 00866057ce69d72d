import { AwsError } from '@lm/contracts';

export {
  invalidNextToken,
  invalidParameterCombination,
  invalidParameterValue,
  missingParameter,
} from '../../usage-metrics/domain/errors';

/** CloudWatch's errors of the alarm operations, by their shape names in its model. */
export const alarmNotFound = (name: string) => new AwsError('ResourceNotFound', `No alarm named ${name} exists.`);
export const invalidFormat = (message: string) => new AwsError('InvalidFormatFault', message);
export const alarmLimitExceeded = (quota: number) =>
  new AwsError('LimitExceededFault', `An account can have at most ${quota} alarms in a Region.`);
