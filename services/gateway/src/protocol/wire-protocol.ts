import type { ApiModel, WireProtocol } from '@lm/api-model';
import { isRpcV2CborRequest } from './rpc-v2-cbor';

/** The protocols an API accepts (most one; CloudWatch three, since clients pick different ones). */
export function acceptsProtocol(api: ApiModel, protocol: WireProtocol): boolean {
  return (api.metadata.protocols ?? [api.metadata.protocol]).includes(protocol);
}

/**
 * The protocol a request speaks to an API, which its answer (success or error) must speak too:
 * for an API with several, RPC v2 CBOR by its `smithy-protocol` header, awsJson by its target,
 * the query protocol by its form body; otherwise the API's one protocol.
 */
export function wireProtocolOf(api: ApiModel, request: { headers: Record<string, string> }): WireProtocol {
  if (acceptsProtocol(api, 'smithy-rpc-v2-cbor') && isRpcV2CborRequest(request.headers)) return 'smithy-rpc-v2-cbor';
  if (acceptsProtocol(api, 'json') && request.headers['x-amz-target'] !== undefined) return 'json';
  if (acceptsProtocol(api, 'query') && isFormEncoded(request)) return 'query';
  return api.metadata.protocol;
}

export function isFormEncoded(request: { headers: Record<string, string> }): boolean {
  return (request.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}
