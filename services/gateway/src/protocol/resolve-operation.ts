import { apiModels, type ApiModel, type WireProtocol } from '@lm/api-model';
import { decodeQueryInput } from './query';
import { CborRequestError, cborOperationOf, decodeCborInput, isRpcV2CborRequest } from './rpc-v2-cbor';
import { acceptsProtocol, isFormEncoded } from './wire-protocol';
import { bindRestInput, matchRestOperation } from './rest-json/bind-request';
import { GatewayError } from './aws-error-response';
import { JsonTooDeepError, parseJsonExactly } from './json-body';
import { asModeledInput } from './modeled-input';

export interface HttpRequest {
  method: string;
  /** Path and query string as received. */
  url: string;
  headers: Record<string, string>;
  body: Buffer;
  /** The client's address, for the audit record. */
  sourceIp?: string;
}

export interface ResolvedOperation {
  api: ApiModel;
  operation: string;
  /** The protocol the request speaks, which its answer speaks too. */
  protocol: WireProtocol;
  /** Decodes the input from the request (throws SerializationException on a body that is not a JSON object). */
  readInput(): Record<string, unknown>;
}

const JSON_APIS = Object.values(apiModels).filter((api) => acceptsProtocol(api, 'json'));
const QUERY_APIS = Object.values(apiModels).filter((api) => acceptsProtocol(api, 'query'));
const CBOR_APIS = Object.values(apiModels).filter((api) => acceptsProtocol(api, 'smithy-rpc-v2-cbor'));
const REST_APIS = Object.values(apiModels).filter((api) => api.metadata.protocol === 'rest-json');

export function splitUrl(url: string): [string, string | undefined] {
  const index = url.indexOf('?');
  return index < 0 ? [url, undefined] : [url.slice(0, index), url.slice(index + 1)];
}

/**
 * Before authentication, the API whose protocol errors are answered in: the RPC v2 CBOR API of
 * the path's service, the awsJson API of the target's prefix, the query API of a form body's
 * Version, or the restJson1 API with an operation at the method and path.
 */
export function guessApi(request: HttpRequest): ApiModel | undefined {
  if (isRpcV2CborRequest(request.headers)) {
    const service = splitUrl(request.url)[0].split('/')[2];
    return CBOR_APIS.find((api) => api.metadata.targetPrefix === service) ?? CBOR_APIS[0];
  }
  const target = request.headers['x-amz-target'];
  if (target !== undefined) {
    const [prefix] = splitTarget(target);
    return JSON_APIS.find((api) => api.metadata.targetPrefix === prefix) ?? apiModels['license-manager'];
  }
  if (isFormEncoded(request)) {
    const version = queryParameters(request).get('Version');
    return QUERY_APIS.find((api) => api.metadata.apiVersion === version) ?? QUERY_APIS[0];
  }
  const [path] = splitUrl(request.url);
  return REST_APIS.find((api) => matchRestOperation(api, request.method, path));
}

/**
 * The SigV4 service name the operation a request names is signed for, whatever its scope says
 * (undefined when it names none): the name a wrongly scoped request is told to use.
 */
export function signingNameTried(request: HttpRequest): string | undefined {
  const api = guessApi(request);
  if (!api) return undefined;
  try {
    const { operation } = resolveOperation([api], request);
    return api.operations[operation].signingName ?? api.metadata.signingName ?? api.metadata.endpointPrefix;
  } catch {
    return undefined;
  }
}

/**
 * An operation AWS serves without a signature (STS AssumeRoleWithWebIdentity, whose web identity
 * token is the credential), when the request is unsigned and names it. Undefined otherwise: the
 * request then goes through SigV4 like any other.
 */
export function resolveAnonymousOperation(request: HttpRequest): ResolvedOperation | undefined {
  if (request.headers['authorization'] !== undefined || !isFormEncoded(request)) return undefined;
  const [, query = ''] = splitUrl(request.url);
  if (/(^|&)X-Amz-(Signature|Credential|Algorithm)=/.test(query)) return undefined;
  const params = queryParameters(request);
  const action = params.get('Action') ?? '';
  const api = QUERY_APIS.find((candidate) => candidate.operations[action]?.authtype === 'none');
  if (!api || params.get('Version') !== api.metadata.apiVersion) return undefined;
  return queryOperation(api, action, params);
}

/**
 * The operation among the APIs of a signing name: awsJson1_1 when the request names a target,
 * the query API's `Action`, otherwise the restJson1 API whose paths match (license-manager signs
 * both the AWS API and this product's extensions).
 */
export function resolveOperation(apis: ApiModel[], request: HttpRequest): ResolvedOperation {
  const cborApi = apis.find((api) => acceptsProtocol(api, 'smithy-rpc-v2-cbor'));
  if (cborApi && isRpcV2CborRequest(request.headers)) return resolveCborOperation(cborApi, request);
  const jsonApi = apis.find((api) => acceptsProtocol(api, 'json'));
  if (jsonApi && request.headers['x-amz-target'] !== undefined) return resolveJsonOperation(jsonApi, request);
  const queryApi = apis.find((api) => acceptsProtocol(api, 'query'));
  if (queryApi && (queryApi.metadata.protocol === 'query' || isFormEncoded(request)))
    return resolveQueryOperation(queryApi, request);
  const [path] = splitUrl(request.url);
  for (const api of apis) {
    if (api.metadata.protocol !== 'rest-json') continue;
    const match = matchRestOperation(api, request.method, path);
    if (match) return resolveRestOperation(api, request, match);
  }
  if (cborApi) return resolveCborOperation(cborApi, request);
  if (jsonApi) return resolveJsonOperation(jsonApi, request);
  throw new GatewayError('UnknownOperationException', 404, `No operation is served at ${request.method} ${path}.`);
}

function resolveJsonOperation(api: ApiModel, request: HttpRequest): ResolvedOperation {
  const target = request.headers['x-amz-target'] ?? '';
  const [prefix, operation] = splitTarget(target);
  if (
    request.method !== 'POST' ||
    splitUrl(request.url)[0] !== '/' ||
    prefix !== api.metadata.targetPrefix ||
    !operation ||
    !api.operations[operation]
  ) {
    throw new GatewayError(
      'UnknownOperationException',
      400,
      `Unknown operation ${target || `${request.method} ${request.url}`}.`,
    );
  }
  const readInput = () => asModeledInput(api, api.operations[operation!].input, parseJsonObject(request.body, true));
  return { api, operation, protocol: 'json', readInput };
}

/** `<prefix>.<Operation>`: the prefix may have dots of its own (CloudTrail's `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101`). */
function splitTarget(target: string): [string, string | undefined] {
  const dot = target.lastIndexOf('.');
  return dot < 0 ? [target, undefined] : [target.slice(0, dot), target.slice(dot + 1)];
}

/** RPC v2 CBOR: the path names the service and the operation; a malformed body is a SerializationException. */
function resolveCborOperation(api: ApiModel, request: HttpRequest): ResolvedOperation {
  const asGatewayError = (error: unknown) =>
    error instanceof CborRequestError
      ? new GatewayError(error.code, error.code === 'UnknownOperationException' ? 404 : 400, error.message)
      : error;
  let operation: string;
  try {
    operation = cborOperationOf(api, request.method, splitUrl(request.url)[0]);
  } catch (error) {
    throw asGatewayError(error);
  }
  const readInput = () => {
    try {
      return asModeledInput(api, api.operations[operation].input, decodeCborInput(request.body));
    } catch (error) {
      throw asGatewayError(error);
    }
  };
  return { api, operation, protocol: 'smithy-rpc-v2-cbor', readInput };
}

function resolveRestOperation(
  api: ApiModel,
  request: HttpRequest,
  match: { operation: string; labels: Record<string, string> },
): ResolvedOperation {
  const [, query = ''] = splitUrl(request.url);
  const readInput = () =>
    bindRestInput(api, match.operation, {
      labels: match.labels,
      query: new URLSearchParams(query),
      headers: request.headers,
      body: asModeledInput(api, api.operations[match.operation].input, parseJsonObject(request.body, true)),
    }) as Record<string, unknown>;
  return { api, operation: match.operation, protocol: 'rest-json', readInput };
}

/** The query protocol names the operation and the API version in the parameters: `Action=...&Version=...`. */
function resolveQueryOperation(api: ApiModel, request: HttpRequest): ResolvedOperation {
  const params = queryParameters(request);
  const action = params.get('Action') ?? '';
  const version = params.get('Version') ?? '';
  if (splitUrl(request.url)[0] !== '/' || !api.operations[action] || version !== api.metadata.apiVersion) {
    throw new GatewayError('InvalidAction', 400, `Could not find operation ${action} for version ${version}.`);
  }
  return queryOperation(api, action, params);
}

function queryOperation(api: ApiModel, operation: string, params: URLSearchParams): ResolvedOperation {
  const inputShape = api.operations[operation].input;
  return {
    api,
    operation,
    protocol: 'query',
    readInput: () => (inputShape ? decodeQueryInput(api, inputShape, params) : {}),
  };
}

/** A query-protocol request's parameters: the form body of a POST, the query string of a GET. */
function queryParameters(request: HttpRequest): URLSearchParams {
  if (request.method === 'POST') return new URLSearchParams(request.body.toString('utf8'));
  return new URLSearchParams(splitUrl(request.url)[1] ?? '');
}

function parseJsonObject(body: Buffer, allowEmpty: boolean): Record<string, unknown> {
  const text = body.toString('utf8');
  if (text.trim() === '' && allowEmpty) return {};
  let parsed: unknown;
  try {
    parsed = parseJsonExactly(text);
  } catch (error) {
    const message = error instanceof JsonTooDeepError ? error.message : 'The request body is not valid JSON.';
    throw new GatewayError('SerializationException', 400, message);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new GatewayError('SerializationException', 400, 'The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}
