/** The wire protocols of the AWS APIs: authentication, finding the operation of a request, decoding its input, and encoding answers and errors (validation is @lm/api-model's). */
export {
  verifySigV4,
  readTimelyClaims,
  verifyClaims,
  AuthenticationError,
  wrongServiceScope,
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
export { parseJsonExactly, withModelNumbers } from './json-body';
export { decodeQueryInput, encodeQueryError, encodeQueryResponse } from './query';
export { decodeCbor, encodeCbor, CborError } from './rpc-v2-cbor';
export { wireProtocolOf } from './wire-protocol';
export {
  accessDenied,
  errorResponse,
  GatewayError,
  internalErrorName,
  modeledErrorName,
  throttled,
  THROTTLED_STATUS,
  validationErrorName,
  type HttpResponse,
} from './aws-error-response';
export { successResponse } from './aws-success-response';
export {
  guessApi,
  resolveAnonymousOperation,
  resolveOperation,
  signingNameTried,
  splitUrl,
  type HttpRequest,
  type ResolvedOperation,
} from './resolve-operation';
