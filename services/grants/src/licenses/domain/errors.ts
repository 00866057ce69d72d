import { AwsError, conflict, resourceNotFound } from '@lm/contracts';

/** A stale SourceVersion or Version: the caller decided on a version that is no longer current. */
export const staleVersion = (resource: string, given: string, current: string) =>
  conflict(`${resource} is at version ${current}, not ${given}; read it again and retry.`);

/**
 * A licence is changed only in its home Region (the guide: replicated everywhere, changed in one).
 * Location names the Region whose deployment serves it.
 */
export const redirectToHomeRegion = (homeRegion: string) =>
  new AwsError('RedirectException', `This request must be made in the licence's home Region ${homeRegion}.`, {
    Location: homeRegion,
  });

/** The same ClientToken with another request: the first request's result cannot answer it. */
export const clientTokenReused = (clientToken: string) =>
  new AwsError('ValidationException', `ClientToken ${clientToken} was already used for a different request.`);

export const licenseNotFound = (arn: string) => resourceNotFound(`License ${arn}`);
