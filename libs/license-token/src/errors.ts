/** Why a token was refused; a client may act differently on each (an expired token calls for a new checkout, a bad signature does not). */
export type LicenseTokenFailure =
  'malformed' | 'algorithm' | 'signature' | 'expired' | 'not-yet-valid' | 'license' | 'node' | 'metadata';

export class LicenseTokenError extends Error {
  override readonly name = 'LicenseTokenError';

  constructor(
    readonly reason: LicenseTokenFailure,
    message: string,
  ) {
    super(message);
  }
}
