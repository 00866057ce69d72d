import type { ApiModel } from '@lm/api-model';

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
  body: string;
}

/**
 * The error body and headers as each protocol's clients parse them: awsJson1_1 reads
 * `__type`, restJson1 reads the `x-amzn-ErrorType` header; the message member is spelled as the
 * API's error shapes spell it (Message in license-manager, message in the subscription APIs).
 */
export function errorResponse(api: ApiModel | undefined, error: GatewayError, requestId: string): HttpResponse {
  const restJson = api?.metadata.protocol === 'rest-json';
  const type = api ? `${api.namespace}#${error.code}` : error.code;
  const messageMember = restJson ? 'message' : 'Message';
  return {
    status: error.status,
    headers: {
      'content-type': restJson ? 'application/json' : 'application/x-amz-json-1.1',
      'x-amzn-requestid': requestId,
      ...(restJson ? { 'x-amzn-errortype': error.code } : {}),
    },
    body: JSON.stringify({ __type: type, [messageMember]: error.message, ...error.fields }),
  };
}

/** The API's own name for an internal failure. */
export function internalErrorName(api: ApiModel): string {
  return 'ServerInternalException' in api.errors ? 'ServerInternalException' : 'InternalServerException';
}

/** The error a model-validation failure is reported as: ValidationException where the operation declares it. */
export function validationErrorName(api: ApiModel, operation: string): string {
  const declared = api.operations[operation]?.errors ?? [];
  if (declared.includes('ValidationException') || !('InvalidParameterValueException' in api.errors)) return 'ValidationException';
  return declared.includes('InvalidParameterValueException') ? 'InvalidParameterValueException' : 'ValidationException';
}
