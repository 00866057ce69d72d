import type { ApiModel, WireProtocol } from '@lm/api-model';
import { encodeQueryError } from './query';
import { encodeCborError, RPC_V2_CBOR_HEADER } from './rpc-v2-cbor';

/** An error the gateway answers with: the AWS error name, its HTTP status and a message. */
export class GatewayError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly fields: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Text, or bytes for the CBOR protocol. */
  body: string | Buffer;
}

/** KMS and Secrets Manager, older than Smithy, answer bare error names in `__type`; the License Manager APIs qualify them with their namespace. */
const BARE_ERROR_TYPE_APIS = new Set(['kms', 'secretsmanager']);

/**
 * Every error of an API, whatever refused the request (authentication, the body, validation, the
 * owning service), in the one shape of the protocol the request spoke, as each protocol's clients
 * parse it. A request refused before its API was known is answered in the API it tried (see
 * attemptedOperation), so that an unsigned call and a signed one meet the same shape.
 */
export function errorResponse(
  api: ApiModel,
  error: GatewayError,
  requestId: string,
  protocol: WireProtocol = api.metadata.protocol,
): HttpResponse {
  switch (protocol) {
    case 'query':
      return queryError(api, error, requestId);
    case 'smithy-rpc-v2-cbor':
      return cborError(api, error, requestId);
    case 'rest-json':
      return restJsonError(api, error, requestId);
    case 'json':
      return awsJsonError(api, error, requestId);
  }
}

/** awsJson1_0 / awsJson1_1: `__type` and the message member as the API's error shapes spell it (Message in license-manager, message elsewhere). */
function awsJsonError(api: ApiModel, error: GatewayError, requestId: string): HttpResponse {
  return {
    status: error.status,
    headers: { 'content-type': jsonContentType(api), 'x-amzn-requestid': requestId, ...queryCompatible(api, error) },
    body: JSON.stringify({ __type: errorType(api, error), [messageMemberOf(api)]: error.message, ...error.fields }),
  };
}

/** restJson1: clients read the code from `x-amzn-ErrorType`; the body repeats it in `__type`, with `message`. */
function restJsonError(api: ApiModel, error: GatewayError, requestId: string): HttpResponse {
  return {
    status: error.status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amzn-errortype': error.code },
    body: JSON.stringify({ __type: errorType(api, error), message: error.message, ...error.fields }),
  };
}

/** Smithy RPC v2 CBOR: a map with `__type` and `message`. */
function cborError(api: ApiModel, error: GatewayError, requestId: string): HttpResponse {
  return {
    status: error.status,
    headers: {
      'content-type': 'application/cbor',
      'smithy-protocol': RPC_V2_CBOR_HEADER,
      'x-amzn-requestid': requestId,
      ...queryCompatible(api, error),
    },
    body: encodeCborError(errorType(api, error), error.message, error.fields),
  };
}

/** The query protocol: an XML `<ErrorResponse>` with the query code. */
function queryError(api: ApiModel, error: GatewayError, requestId: string): HttpResponse {
  return {
    status: error.status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body: encodeQueryError(
      api,
      { code: queryErrorCode(api, error.code), message: error.message, status: error.status },
      requestId,
    ),
  };
}

function errorType(api: ApiModel, error: GatewayError): string {
  return BARE_ERROR_TYPE_APIS.has(api.id) ? error.code : `${api.namespace}#${error.code}`;
}

/** A query-compatible API (CloudWatch) also names its query code in `x-amzn-query-error`, as clients of it read it. */
function queryCompatible(api: ApiModel, error: GatewayError): Record<string, string> {
  if (!api.queryErrorCodes) return {};
  return { 'x-amzn-query-error': `${queryErrorCode(api, error.code)};${error.status >= 500 ? 'Receiver' : 'Sender'}` };
}

/** awsJson1_0 or awsJson1_1, as the API's model says. */
export function jsonContentType(api: ApiModel): string {
  return `application/x-amz-json-${api.metadata.jsonVersion ?? '1.1'}`;
}

/**
 * The code an error travels under in the query protocol: a query-compatible API's own code for
 * the shape (InvalidParameterValueException is InvalidParameterValue), ValidationError for a
 * constraint violation, and the query APIs' own names for a failed authentication, as AWS's query
 * APIs (STS, CloudWatch) answer them.
 */
function queryErrorCode(api: ApiModel, code: string): string {
  const compatible = api.queryErrorCodes?.[code];
  if (compatible) return compatible;
  if (!(code in api.errors) && code in QUERY_COMMON_CODES) return QUERY_COMMON_CODES[code];
  return api.queryErrorCodes && code === 'ValidationException' ? 'ValidationError' : code;
}

/** The errors common to every AWS API (authentication, throttling) as the query APIs name them. */
const QUERY_COMMON_CODES: Record<string, string> = {
  MissingAuthenticationTokenException: 'MissingAuthenticationToken',
  IncompleteSignatureException: 'IncompleteSignature',
  UnrecognizedClientException: 'InvalidClientTokenId',
  InvalidSignatureException: 'SignatureDoesNotMatch',
  ExpiredTokenException: 'ExpiredToken',
  ThrottlingException: 'Throttling',
};

function messageMemberOf(api: ApiModel): 'Message' | 'message' {
  return Object.values(api.shapes).some((shape) => shape.exception && shape.members?.Message) ? 'Message' : 'message';
}

/** The API's own name for an internal failure (InternalFailure is the generic one of every AWS API). */
export function internalErrorName(api: ApiModel): string {
  return (
    ['ServerInternalException', 'InternalServerException', 'KMSInternalException', 'InternalServiceError'].find(
      (name) => name in api.errors,
    ) ?? 'InternalFailure'
  );
}

/**
 * The error a model-validation failure is reported as: ValidationException where the operation
 * declares it, ValidationError in the query protocol (STS).
 */
export function validationErrorName(api: ApiModel, operation: string): string {
  if (api.metadata.protocol === 'query') return 'ValidationError';
  const declared = api.operations[operation]?.errors ?? [];
  if (declared.includes('ValidationException') || !('InvalidParameterValueException' in api.errors))
    return 'ValidationException';
  return declared.includes('InvalidParameterValueException') ? 'InvalidParameterValueException' : 'ValidationException';
}

/** The API's AccessDenied error (STS spells it AccessDenied) with its status; 403 where the model has none. */
export function accessDenied(api: ApiModel, message: string): GatewayError {
  const code = 'AccessDenied' in api.errors ? 'AccessDenied' : 'AccessDeniedException';
  return new GatewayError(code, api.errors[code] ?? 403, message);
}

/**
 * A request refused for the rate of its account or of the whole gateway: the API's own throttling
 * error, license-manager's RateLimitExceededException (429 in its model), else ThrottlingException
 * (the subscription APIs model it for most operations; it is AWS's common error for the others,
 * `Throttling` in the query protocol). Always 429, as AWS throttles, which the SDKs retry with
 * back-off whatever the code (the subscription APIs' model gives no status, which Smithy reads as 400).
 */
export function throttled(api: ApiModel, message: string): GatewayError {
  const code = 'RateLimitExceededException' in api.errors ? 'RateLimitExceededException' : 'ThrottlingException';
  return new GatewayError(code, THROTTLED_STATUS, message);
}

/**
 * The status of a throttled request, which the gateway counts in its metrics but neither logs nor
 * audits: a flood refused for its rate would otherwise be written out (and stored by reporting) at
 * the flooder's rate, the very load the limit is there to keep off.
 */
export const THROTTLED_STATUS = 429;

/**
 * Services name a missing resource or a stale version as such; where an operation's model has no
 * such error (GetLicense, the grant operations, the tag operations...), the client is told the
 * error the model gives it for a bad parameter instead, so that it only ever meets modeled errors.
 * A bad parameter is InvalidParameterValueException where the operation models it and its
 * ValidationException where it does not: CreateLicenseVersion checks Issuer.SignKey as
 * CreateLicense does, but models ValidationException only (found by test/chaos/model-fuzzer.test.ts).
 */
const STAND_INS: Record<string, readonly string[]> = {
  ResourceNotFoundException: ['InvalidParameterValueException', 'ValidationException'],
  ConflictException: ['InvalidParameterValueException', 'ValidationException'],
  InvalidParameterValueException: ['ValidationException'],
};

/** The name a service's error is answered under: its own where the operation models it, else its stand-in. */
export function modeledErrorName(api: ApiModel, operation: string, name: string): string {
  const modeled = api.operations[operation].errors;
  if (modeled.includes(name)) return name;
  return STAND_INS[name]?.find((standIn) => modeled.includes(standIn)) ?? name;
}
