import { invalidParameterValue } from '@lm/contracts';

/** The shared factories (@lm/contracts) under the names licensing's rules use. */
export { invalidParameterValue as invalidParameter, resourceLimitExceeded } from '@lm/contracts';

/** Also what another account gets for a configuration it does not own: existence is not disclosed. */
export const licenseConfigurationNotFound = (arnOrId: string) =>
  invalidParameterValue(`License configuration ${arnOrId} does not exist.`);
