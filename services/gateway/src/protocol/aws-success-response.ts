import type { ApiModel, WireProtocol } from '@lm/api-model';
import { jsonContentType, type HttpResponse } from './aws-error-response';
import { toJsonDocument } from './json-document';
import { encodeQueryResponse } from './query';
import { serializeRestOutput } from './rest-json/serialize-output';
import { encodeCborOutput, RPC_V2_CBOR_HEADER } from './rpc-v2-cbor';
import { stringifyExactJson } from '@lm/contracts';

/**
 * A service's output as the API's clients read it: only what the model's output shape declares,
 * in the protocol's encoding (awsJson document, query-protocol XML, restJson1 bindings, RPC v2
 * CBOR map): the protocol the request spoke.
 */
export function successResponse(
  api: ApiModel,
  operation: string,
  output: Record<string, unknown>,
  requestId: string,
  protocol: WireProtocol = api.metadata.protocol,
): HttpResponse {
  const outputShape = api.operations[operation].output;
  switch (protocol) {
    case 'smithy-rpc-v2-cbor':
      return {
        status: 200,
        headers: {
          'content-type': 'application/cbor',
          'smithy-protocol': RPC_V2_CBOR_HEADER,
          'x-amzn-requestid': requestId,
        },
        body: encodeCborOutput(api, outputShape, output),
      };
    case 'json':
      return {
        status: 200,
        headers: { 'content-type': jsonContentType(api), 'x-amzn-requestid': requestId },
        body: stringifyExactJson(outputShape ? toJsonDocument(api, outputShape, output) : {}),
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
