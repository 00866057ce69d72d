import { validation } from '@lm/contracts';

/** The guide: a refresh token is valid 365 days unless ExpirationInDays says otherwise. */
export const DEFAULT_EXPIRATION_IN_DAYS = 365;

/** The most days a token may be made to last (ten years): beyond, a date stops meaning anything. */
export const MAX_EXPIRATION_IN_DAYS = 3650;

/** The guide: a ClientToken is valid for 10 minutes. */
export const CLIENT_TOKEN_WINDOW_MS = 10 * 60 * 1000;

/** The JWT is handed out in a field of at most 4096 characters (the model's TokenString). */
export const MAX_TOKEN_LENGTH = 4096;

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;

export function expirationInDays(requested: number | undefined): number {
  const days = requested ?? DEFAULT_EXPIRATION_IN_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_EXPIRATION_IN_DAYS) {
    throw validation(`ExpirationInDays must be a whole number of days from 1 to ${MAX_EXPIRATION_IN_DAYS}.`);
  }
  return days;
}

/** The account an IAM role ARN belongs to, or undefined when the text is not a role ARN. */
export const roleAccountId = (arn: string): string | undefined => ROLE_ARN.exec(arn)?.[1];

/**
 * RoleArns are the roles the token may later assume: IAM roles of the account creating the token,
 * since temporary credentials are that account's. (Whether a role exists is not checked: the guide.)
 */
export function assertOwnRoles(roleArns: string[], accountId: string): void {
  for (const arn of roleArns) {
    if (roleAccountId(arn) !== accountId) throw validation(`${arn} is not an IAM role ARN of account ${accountId}.`);
  }
}

/** TokenProperties: at most 3 (the model), none empty, no repeats. */
export function assertTokenProperties(properties: string[]): void {
  if (properties.length > 3) throw validation('At most 3 TokenProperties can be given.');
  if (properties.some((property) => property.length === 0))
    throw validation('TokenProperties must not be empty strings.');
  if (new Set(properties).size !== properties.length) throw validation('TokenProperties must not repeat.');
}
