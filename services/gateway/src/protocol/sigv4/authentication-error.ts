/** The error codes AWS JSON services answer when a request's SigV4 authentication fails. */
export type AuthenticationErrorCode =
  | 'MissingAuthenticationTokenException'
  | 'IncompleteSignatureException'
  | 'UnrecognizedClientException'
  | 'InvalidSignatureException'
  | 'ExpiredTokenException';

/**
 * A request that failed authentication. `code` and `message` are what AWS puts in the error
 * body (`__type` / `message`), so clients raise the same exception class they would against AWS.
 * Messages never contain secrets: only what the client itself sent or the server's clock.
 */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
  readonly httpStatus = 403;

  constructor(
    readonly code: AuthenticationErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const missingAuthenticationToken = (): AuthenticationError =>
  new AuthenticationError('MissingAuthenticationTokenException', 'Missing Authentication Token');

export const incompleteSignature = (message: string): AuthenticationError =>
  new AuthenticationError('IncompleteSignatureException', message);

export const unrecognizedClient = (): AuthenticationError =>
  new AuthenticationError('UnrecognizedClientException', 'The security token included in the request is invalid.');

export const expiredToken = (): AuthenticationError =>
  new AuthenticationError('ExpiredTokenException', 'The security token included in the request is expired');

export const invalidSignature = (message: string): AuthenticationError =>
  new AuthenticationError('InvalidSignatureException', message);

/** A scope naming a service other than the one the request's operation is signed for; AWS's words, trailing space included. */
export const wrongServiceScope = (service: string): AuthenticationError =>
  invalidSignature(`Credential should be scoped to correct service: '${service}'. `);

export const SIGNATURE_MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
