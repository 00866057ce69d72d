import type { Caller } from '@lm/contracts';
import { AwsError } from '@lm/contracts';

/** Credentials from a token consume their licence and nothing else: managing tokens is not consuming. */
export function assertNotRestricted(caller: Caller): void {
  if (caller.restrictedToLicenseArn) {
    throw new AwsError(
      'AccessDeniedException',
      'Temporary credentials issued from a license token can only consume that license.',
    );
  }
}
