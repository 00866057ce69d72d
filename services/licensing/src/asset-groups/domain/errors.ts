import { invalidParameterValue, validation } from '@lm/contracts';

/**
 * The model lists no not-found error for asset groups and rulesets: InvalidParameterValueException,
 * also for another account's (existence is not disclosed).
 */
export const rulesetNotFound = (arn: string) => invalidParameterValue(`License asset ruleset ${arn} does not exist.`);
export const groupNotFound = (arn: string) => invalidParameterValue(`License asset group ${arn} does not exist.`);

export const managedRulesetReadOnly = (arn: string) =>
  invalidParameterValue(`License asset ruleset ${arn} is managed by AWS and cannot be changed or deleted.`);

export const rulesetInUse = (arn: string, groups: number) =>
  invalidParameterValue(
    `License asset ruleset ${arn} is used by ${groups} license asset group(s); remove it from them before deleting it.`,
  );

/** The same ClientToken with another request: the first request's result cannot answer it. */
export const clientTokenReused = (clientToken: string) =>
  validation(`ClientToken ${clientToken} was already used for a different request.`);
