import { AwsError } from './aws-error';

/**
 * The AWS errors every service raises, by the error shape names the API models give them (the
 * gateway maps each to its HTTP status). Pure, so that domain code may use them.
 */

/** A member's value is not acceptable (400): also what a resource of another account looks like. */
export const invalidParameterValue = (message: string) => new AwsError('InvalidParameterValueException', message);

/** The request as a whole is refused (400), e.g. by the extensions API or KMS. */
export const validation = (message: string) => new AwsError('ValidationException', message);

/** `what` names the resource, e.g. `License arn:...`; the message reads "<what> was not found.". */
export const resourceNotFound = (what: string) => new AwsError('ResourceNotFoundException', `${what} was not found.`);

/** The request conflicts with the resource's current state (409). */
export const conflict = (message: string) => new AwsError('ConflictException', message);

/** A quota of the account would be passed. */
export const resourceLimitExceeded = (message: string) => new AwsError('ResourceLimitExceededException', message);

/** A service quota would be passed (the user-subscriptions API's name for it, e.g. 25 instances per user). */
export const serviceQuotaExceeded = (message: string) => new AwsError('ServiceQuotaExceededException', message);

/** Too many filters, or too many values for one filter. */
export const filterLimitExceeded = (message: string) => new AwsError('FilterLimitExceededException', message);

/** The caller may not do this (the license-manager API's AuthorizationException). */
export const notAuthorized = (message: string) => new AwsError('AuthorizationException', message);
