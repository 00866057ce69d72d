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
 * The error body and headers as each protocol's clients parse them: awsJson reads `__type`,
 * restJson1 reads the `x-amzn-ErrorType` header, the query protocol an XML `<ErrorResponse>`,
 * RPC v2 CBOR a map with `__type`; the message member is spelled as the API's error shapes spell
 * it (Message in license-manager, message in the subscription APIs and KMS). A query-compatible
 * API (CloudWatch) also names its query code in `x-amzn-query-error`, as clients of it read it.
 */
export function errorResponse(
  api: ApiModel | undefined,
  error: GatewayError,
  requestId: string,
  protocol: WireProtocol | undefined = api?.metadata.protocol,
): HttpResponse {
  if (api && protocol === 'query') {
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
  const restJson = protocol === 'rest-json';
  const type = api && !BARE_ERROR_TYPE_APIS.has(api.id) ? `${api.namespace}#${error.code}` : error.code;
  const queryCompatible: Record<string, string> = api?.queryErrorCodes
    ? { 'x-amzn-query-error': `${queryErrorCode(api, error.code)};${error.status >= 500 ? 'Receiver' : 'Sender'}` }
    : {};
  if (api && protocol === 'smithy-rpc-v2-cbor') {
    return {
      status: error.status,
      headers: {
        'content-type': 'application/cbor',
        'smithy-protocol': RPC_V2_CBOR_HEADER,
        'x-amzn-requestid': requestId,
        ...queryCompatible,
      },
      body: encodeCborError(type, error.message, error.fields),
    };
  }
  const messageMember = api && !restJson ? messageMemberOf(api) : 'message';
  return {
    status: error.status,
    headers: {
      'content-type': restJson ? 'application/json' : jsonContentType(api),
      'x-amzn-requestid': requestId,
      ...(restJson ? { 'x-amzn-errortype': error.code } : {}),
      ...queryCompatible,
    },
    body: JSON.stringify({ __type: type, [messageMember]: error.message, ...error.fields }),
  };
}

/** awsJson1_0 or awsJson1_1, as the API's model says. */
export function jsonContentType(api: ApiModel | undefined): string {
  return `application/x-amz-json-${api?.metadata.jsonVersion ?? '1.1'}`;
}

/**
 * The code an error travels under in the query protocol: a query-compatible API's own code for
 * the shape (InvalidParameterValueException is InvalidParameterValue), and ValidationError for a
 * constraint violation, as AWS's query APIs call it.
 */
function queryErrorCode(api: ApiModel, code: string): string {
  if (!api.queryErrorCodes) return code;
  return api.queryErrorCodes[code] ?? (code === 'ValidationException' ? 'ValidationError' : code);
}

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
 * Services name a missing resource or a stale version as such; where an operation's model has no
 * such error (GetLicense, the grant operations, the tag operations...), the client is told the
 * error the model gives it for a bad parameter instead, so that it only ever meets modeled errors.
 */
const STAND_INS: Record<string, readonly string[]> = {
  ResourceNotFoundException: ['InvalidParameterValueException', 'ValidationException'],
  ConflictException: ['InvalidParameterValueException', 'ValidationException'],
};

/** The name a service's error is answered under: its own where the operation models it, else its stand-in. */
export function modeledErrorName(api: ApiModel, operation: string, name: string): string {
  const modeled = api.operations[operation].errors;
  if (modeled.includes(name)) return name;
  return STAND_INS[name]?.find((standIn) => modeled.includes(standIn)) ?? name;
}
