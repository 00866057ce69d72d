/** The pure wire-protocol pieces of the gateway: authentication, input validation and the restJson1 bindings. */
export {
  verifySigV4,
  AuthenticationError,
  type AuthenticationErrorCode,
  type ReceivedRequest,
  type SigningSecret,
  type VerifyDeps,
  type VerifiedIdentity,
} from './sigv4/verify-request';
export { validateInput, validationMessage, patternCoverage, type ValidationIssue } from './validation/validate-input';
export { compileJavaPattern } from './validation/java-pattern';
export {
  matchRestOperation,
  bindRestInput,
  type RestOperationMatch,
  type RestRequestParts,
} from './rest-json/bind-request';
export { serializeRestOutput, type RestResponse } from './rest-json/serialize-output';
export { toJsonDocument } from './json-document';
export { parseTimestamp, formatTimestamp, type TimestampFormat } from './timestamps';
