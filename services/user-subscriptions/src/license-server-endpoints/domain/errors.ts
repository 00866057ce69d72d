import { conflict, resourceNotFound } from '@lm/contracts';

/** Also what another account gets: an endpoint's existence is not disclosed. */
export const licenseServerEndpointNotFound = (arn: string) => resourceNotFound(`License server endpoint ${arn}`);

/** A state the operation or report cannot start from (the model's ConflictException). */
export const licenseServerEndpointConflict = (message: string) => conflict(message);
