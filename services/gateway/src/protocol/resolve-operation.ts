import { apiModels, type ApiModel } from '@lm/api-model';
import { decodeQueryInput } from './query';
import { bindRestInput, matchRestOperation } from './rest-json/bind-request';
import { GatewayError } from './aws-error-response';

export interface HttpRequest {
  method: string;
  /** Path and query string as received. */
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface ResolvedOperation {
  api: ApiModel;
  operation: string;
  /** Decodes the input from the request (throws SerializationException on a body that is not a JSON object). */
  readInput(): Record<string, unknown>;
}

const JSON_APIS = Object.values(apiModels).filter((api) => api.metadata.protocol === 'json');
const QUERY_APIS = Object.values(apiModels).filter((api) => api.metadata.protocol === 'query');

export function splitUrl(url: string): [string, string | undefined] {
  const index = url.indexOf('?');
  return index < 0 ? [url, undefined] : [url.slice(0, index), url.slice(index + 1)];
}

/**
 * Before authentication, the API whose protocol errors are answered in: the awsJson API of the
 * target's prefix, or the query API for a form-encoded body.
 */
export function guessApi(request: HttpRequest): ApiModel | undefined {
  const target = request.headers['x-amz-target'];
  if (target !== undefined) {
    const prefix = target.split('.')[0];
    return JSON_APIS.find((api) => api.metadata.targetPrefix === prefix) ?? apiModels['license-manager'];
  }
  return isFormEncoded(request) ? QUERY_APIS[0] : undefined;
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
  const jsonApi = apis.find((api) => api.metadata.protocol === 'json');
  if (jsonApi && request.headers['x-amz-target'] !== undefined) return resolveJsonOperation(jsonApi, request);
  const queryApi = apis.find((api) => api.metadata.protocol === 'query');
  if (queryApi) return resolveQueryOperation(queryApi, request);
  const [path] = splitUrl(request.url);
  for (const api of apis) {
    if (api.metadata.protocol !== 'rest-json') continue;
    const match = matchRestOperation(api, request.method, path);
    if (match) return resolveRestOperation(api, request, match);
  }
  if (jsonApi) return resolveJsonOperation(jsonApi, request);
  throw new GatewayError('UnknownOperationException', 404, `No operation is served at ${request.method} ${path}.`);
}

function resolveJsonOperation(api: ApiModel, request: HttpRequest): ResolvedOperation {
  const target = request.headers['x-amz-target'] ?? '';
  const [prefix, operation] = target.split('.');
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
  return { api, operation, readInput: () => parseJsonObject(request.body, true) };
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
      body: parseJsonObject(request.body, true),
    }) as Record<string, unknown>;
  return { api, operation: match.operation, readInput };
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
  return { api, operation, readInput: () => (inputShape ? decodeQueryInput(api, inputShape, params) : {}) };
}

/** A query-protocol request's parameters: the form body of a POST, the query string of a GET. */
function queryParameters(request: HttpRequest): URLSearchParams {
  if (request.method === 'POST') return new URLSearchParams(request.body.toString('utf8'));
  return new URLSearchParams(splitUrl(request.url)[1] ?? '');
}

function isFormEncoded(request: HttpRequest): boolean {
  return (request.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

function parseJsonObject(body: Buffer, allowEmpty: boolean): Record<string, unknown> {
  const text = body.toString('utf8');
  if (text.trim() === '' && allowEmpty) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new GatewayError('SerializationException', 400, 'The request body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new GatewayError('SerializationException', 400, 'The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}
