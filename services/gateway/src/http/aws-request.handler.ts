import { randomUUID } from 'node:crypto';
import { apiModels, apisBySigningName, validateInput, validationMessage, type ApiModel } from '@lm/api-model';
import { NoRespondersError, OperationClient, OperationTimeoutError, operationSubject, type Caller } from '@lm/messaging';
import type { GatewayConfig } from '../config';
import type { CredentialStore } from '../identity/credential-store';
import type { GatewayMetrics } from '../observability/metrics';
import {
  AuthenticationError,
  bindRestInput,
  matchRestOperation,
  serializeRestOutput,
  toJsonDocument,
  verifySigV4,
} from '../protocol';
import { resolveOwner } from '../routing/operation-owners';
import { errorResponse, GatewayError, internalErrorName, validationErrorName, type HttpResponse } from './aws-error-response';

export interface HttpRequest {
  method: string;
  /** Path and query string as received. */
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

const LICENSE_MANAGER = apiModels['license-manager'];

interface ResolvedOperation {
  api: ApiModel;
  operation: string;
  /** Decodes the input from the request (throws SerializationException on a body that is not a JSON object). */
  readInput(): Record<string, unknown>;
}

/**
 * One AWS API request from bytes to bytes: authenticate (SigV4), find the operation in the
 * API model, decode and validate its input, send it to the owning service over NATS, and
 * answer in the protocol's shape. Every failure becomes an AWS error response.
 */
export class AwsRequestHandler {
  constructor(
    private readonly config: GatewayConfig,
    private readonly credentials: CredentialStore,
    private readonly client: OperationClient,
    private readonly metrics: GatewayMetrics,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async handle(request: HttpRequest): Promise<HttpResponse> {
    const started = process.hrtime.bigint();
    const requestId = randomUUID();
    let api: ApiModel | undefined = guessApi(request);
    let operation = 'unknown';
    let response: HttpResponse;
    try {
      const { caller, signingService } = this.authenticate(request);
      const apis = apisBySigningName(signingService);
      if (apis.length === 0) throw new GatewayError('UnrecognizedClientException', 403, `Credential scope service ${signingService} is not served here.`);
      api = apis[0];
      const resolved = resolveOperation(apis, request);
      // Known before the body is read, so that a body error is answered in this API's protocol.
      api = resolved.api;
      operation = resolved.operation;
      response = await this.dispatch(resolved.api, resolved.operation, resolved.readInput(), caller, requestId);
    } catch (error) {
      response = errorResponse(api, this.asGatewayError(api, error), requestId);
    }
    this.metrics.record(operation, response.status, Number(process.hrtime.bigint() - started) / 1e9);
    return response;
  }

  private authenticate(request: HttpRequest): { caller: Caller; signingService: string } {
    const [path, query = ''] = splitUrl(request.url);
    const verified = verifySigV4(
      { method: request.method, path, query, headers: request.headers, body: request.body },
      { findSecret: (accessKeyId) => this.credentials.secretFor(accessKeyId), now: this.now() },
    );
    return { caller: this.credentials.callerFor(verified.accessKeyId, this.config.region), signingService: verified.service };
  }

  private async dispatch(api: ApiModel, operation: string, input: Record<string, unknown>, caller: Caller, requestId: string): Promise<HttpResponse> {
    const model = api.operations[operation];
    if (model.input) {
      const issues = validateInput(api, model.input, input);
      if (issues.length > 0) throw new GatewayError(validationErrorName(api, operation), 400, validationMessage(issues));
    }
    const owner = resolveOwner(api.id, operation, input);
    if ('error' in owner) throw new GatewayError(validationErrorName(api, operation), 400, owner.error);
    const subject = operationSubject(owner.service, operation);
    let reply;
    try {
      reply = await this.client.call(subject, { requestId, caller, input });
    } catch (error) {
      if (error instanceof NoRespondersError) {
        throw new GatewayError('NotImplementedException', 501, `${operation} is served by the ${owner.service} service, which is not running.`);
      }
      if (error instanceof OperationTimeoutError) {
        throw new GatewayError('ServiceUnavailableException', 503, `The ${owner.service} service did not answer ${operation} in time.`);
      }
      throw error;
    }
    if (!reply.ok) {
      const status = api.errors[reply.error.name];
      if (status === undefined) throw new GatewayError(internalErrorName(api), 500, 'The service failed to process the request.');
      throw new GatewayError(reply.error.name, status, reply.error.message, reply.error.fields);
    }
    return this.success(api, operation, reply.output as Record<string, unknown>, requestId);
  }

  private success(api: ApiModel, operation: string, output: Record<string, unknown>, requestId: string): HttpResponse {
    if (api.metadata.protocol === 'json') {
      return {
        status: 200,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId },
        // Only what the model's output shape declares leaves the gateway, in the protocol's encoding.
        body: JSON.stringify(api.operations[operation].output ? toJsonDocument(api, api.operations[operation].output!, output) : {}),
      };
    }
    const rest = serializeRestOutput(api, operation, output);
    return {
      status: rest.statusCode,
      headers: { 'content-type': 'application/json', ...rest.headers, 'x-amzn-requestid': requestId },
      body: rest.body,
    };
  }

  private asGatewayError(api: ApiModel | undefined, error: unknown): GatewayError {
    if (error instanceof GatewayError) return error;
    if (error instanceof AuthenticationError) return new GatewayError(error.code, error.httpStatus, error.message);
    console.error(`[gateway] unexpected failure: ${(error as Error)?.stack ?? String(error)}`);
    return new GatewayError(api ? internalErrorName(api) : 'InternalFailure', 500, 'The gateway failed to process the request.');
  }
}

function splitUrl(url: string): [string, string | undefined] {
  const index = url.indexOf('?');
  return index < 0 ? [url, undefined] : [url.slice(0, index), url.slice(index + 1)];
}

/** Before authentication, the protocol to answer errors in: awsJson when a target header is sent. */
function guessApi(request: HttpRequest): ApiModel | undefined {
  return request.headers['x-amz-target'] ? LICENSE_MANAGER : undefined;
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

/**
 * The operation among the APIs of a signing name: awsJson1_1 when the request names a target,
 * otherwise the restJson1 API whose paths match (license-manager signs both the AWS API and this
 * product's extensions).
 */
function resolveOperation(apis: ApiModel[], request: HttpRequest): ResolvedOperation {
  const jsonApi = apis.find((api) => api.metadata.protocol === 'json');
  if (jsonApi && request.headers['x-amz-target'] !== undefined) return resolveJsonOperation(jsonApi, request);
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
  if (request.method !== 'POST' || splitUrl(request.url)[0] !== '/' || prefix !== api.metadata.targetPrefix || !operation || !api.operations[operation]) {
    throw new GatewayError('UnknownOperationException', 400, `Unknown operation ${target || `${request.method} ${request.url}`}.`);
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
