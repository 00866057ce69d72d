import { conflict, resourceNotFound } from '@lm/contracts';

/** Also what another account gets: a registration's existence is not disclosed. */
export const identityProviderNotFound = (what: string) => resourceNotFound(`Identity provider ${what}`);

/** A state the operation cannot start from (the model's ConflictException). */
export const identityProviderConflict = (message: string) => conflict(message);
