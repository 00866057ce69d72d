import type { ApiModel } from '@lm/api-model';
import type { HttpResponse } from './aws-error-response';
import { toJsonDocument } from './json-document';
import { encodeQueryResponse } from './query';
import { serializeRestOutput } from './rest-json/serialize-output';

/**
 * A service's output as the API's clients read it: only what the model's output shape declares,
 * in the protocol's encoding (awsJson1_1 document, query-protocol XML, restJson1 bindings).
 */
export function successResponse(
  api: ApiModel,
  operation: string,
  output: Record<string, unknown>,
  requestId: string,
): HttpResponse {
  const outputShape = api.operations[operation].output;
  switch (api.metadata.protocol) {
    case 'json':
      return {
        status: 200,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId },
        body: JSON.stringify(outputShape ? toJsonDocument(api, outputShape, output) : {}),
      };
    case 'query':
      return {
        status: 200,
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
        body: encodeQueryResponse(api, operation, output, requestId),
      };
    case 'rest-json': {
      const rest = serializeRestOutput(api, operation, output);
      return {
        status: rest.statusCode,
        headers: { 'content-type': 'application/json', ...rest.headers, 'x-amzn-requestid': requestId },
        body: rest.body,
      };
    }
  }
}
