import { invalidParameterValue } from '@lm/contracts';

/** Also what another account gets for a configuration it does not own: existence is not disclosed. */
export const licenseConfigurationNotFound = (arnOrId: string) =>
  invalidParameterValue(`License configuration ${arnOrId} does not exist.`);
