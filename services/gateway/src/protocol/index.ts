/** The pure wire-protocol pieces of the gateway: authentication, the restJson1 bindings and the query protocol (validation is @lm/api-model's). */
export {
  verifySigV4,
  readTimelyClaims,
  verifyClaims,
  AuthenticationError,
  type AuthenticationErrorCode,
  type ReceivedRequest,
  type SignedClaims,
  type SigningSecret,
  type VerifyDeps,
  type VerifiedIdentity,
} from './sigv4/verify-request';
export {
  matchRestOperation,
  bindRestInput,
  type RestOperationMatch,
  type RestRequestParts,
} from './rest-json/bind-request';
export { serializeRestOutput, type RestResponse } from './rest-json/serialize-output';
export { toJsonDocument } from './json-document';
export { decodeQueryInput, encodeQueryError, encodeQueryResponse } from './query';
