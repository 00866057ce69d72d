import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { apisBySigningName, validateInput, validationMessage, type ApiModel, type WireProtocol } from '@lm/api-model';
import { NoRespondersError, OperationTimeoutError, operationSubject } from '@lm/messaging';
import { ownedOperationName, resolveOwner, type Caller, type OwnedOperation, type ServiceName } from '@lm/contracts';
import type { GatewayConfig } from '../config';
import { accountAdmission, type AccountAdmission } from './account-rate-limiter';
import type { CredentialStore } from '../identity/credential-store';
import { mayCall } from '../identity/restricted-caller';
import type { SessionCredentialCache } from '../identity/session-credentials';
import type { GatewayMetrics } from '../observability/metrics';
import type { TenantRouting } from '../routing/tenant-routing';
import type { AuditRecorder } from '../observability/audit-trail';
import { apiTriedBy } from '../observability/attempted-operation';
import { logRequest } from '../observability/request-log';
import type { ServicePresence } from '../observability/service-health';
import {
  accessDenied,
  AuthenticationError,
  errorResponse,
  GatewayError,
  guessApi,
  internalErrorName,
  modeledErrorName,
  readTimelyClaims,
  resolveAnonymousOperation,
  resolveOperation,
  signingNameTried,
  splitUrl,
  successResponse,
  throttled,
  THROTTLED_STATUS,
  validationErrorName,
  verifyClaims,
  wireProtocolOf,
  withModelNumbers,
  wrongServiceScope,
  type HttpRequest,
  type HttpResponse,
  type ReceivedRequest,
  type ResolvedOperation,
} from '../protocol';

const logger = new Logger('gateway');

/**
 * The operation of a signed request among those its scope's service name is signed for. A request
 * whose operation is signed for another name is refused as AWS refuses a wrongly scoped signature,
 * before anything of it is read: a signature for one API never reaches another's operations.
 */
function resolveSignedOperation(apis: ApiModel[], signingService: string, request: HttpRequest): ResolvedOperation {
  try {
    if (apis.length === 0) {
      throw new GatewayError(
        'UnrecognizedClientException',
        403,
        `Credential scope service ${signingService} is not served here.`,
      );
    }
    return resolveOperation(apis, request);
  } catch (error) {
    const expected = signingNameTried(request);
    throw expected !== undefined && expected !== signingService ? wrongServiceScope(expected) : error;
  }
}

/** The input against the operation's model, refused with the operation's validation error. */
function validate(api: ApiModel, operation: string, input: Record<string, unknown>): void {
  const shape = api.operations[operation].input;
  const issues = shape ? validateInput(api, shape, input) : [];
  if (issues.length > 0) throw new GatewayError(validationErrorName(api, operation), 400, validationMessage(issues));
}

/**
 * One AWS API request from bytes to bytes: authenticate (SigV4), find the operation in the
 * API model, decode and validate its input, send it to the owning service over NATS, and
 * answer in the protocol's shape. Every failure becomes an AWS error response.
 */
export class AwsRequestHandler {
  /** Each account's share of the gateway (LM_RATE_LIMIT_PER_ACCOUNT), taken once the signature proves the account. */
  private readonly accounts: AccountAdmission;

  constructor(
    private readonly config: GatewayConfig,
    private readonly credentials: CredentialStore,
    private readonly sessions: SessionCredentialCache,
    /** Sends each operation to a replica of its service (routing/tenant-routing.ts). */
    private readonly routing: Pick<TenantRouting, 'call'>,
    /** Tells an operation nobody handles on a running service from one whose service is not running. */
    private readonly servicePresence: ServicePresence,
    private readonly metrics: GatewayMetrics,
    /** Receives every answered call's audit record. */
    private readonly audit: AuditRecorder,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.accounts = accountAdmission(config.accountRateLimit);
  }

  async handle(request: HttpRequest): Promise<HttpResponse> {
    const started = process.hrtime.bigint();
    const requestId = randomUUID();
    const eventTime = this.now();
    // Set once authentication names the API; a failure before that is answered in the guessed one.
    let api: ApiModel | undefined;
    let operation = 'unknown';
    let response: HttpResponse;
    let errorCode: string | undefined;
    let caller: Caller | undefined;
    // For the audit record: what was asked, and answered or why not.
    let input: Record<string, unknown> | undefined;
    let output: Record<string, unknown> | undefined;
    let errorMessage: string | undefined;
    try {
      // The one kind of request without a caller: the operations AWS serves unsigned.
      let resolved = resolveAnonymousOperation(request);
      if (!resolved) {
        const authenticated = await this.authenticate(request);
        caller = authenticated.caller;
        const apis = apisBySigningName(authenticated.signingService);
        // An operation it does not find is answered in the protocol of the API the scope names.
        api = apis[0];
        resolved = resolveSignedOperation(apis, authenticated.signingService, request);
      }
      // Known before the body is read, so that a body error is answered in this API's protocol.
      api = resolved.api;
      operation = resolved.operation;
      // Before the input is read: a throttled account costs the gateway its signature check only.
      if (caller && !this.accounts.admit(caller.accountId))
        throw throttled(api, `Rate exceeded for account ${caller.accountId}.`);
      if (caller && !mayCall(caller, api.id, operation)) {
        throw accessDenied(
          api,
          `The temporary credentials of ${caller.principalArn} may only consume licence ${caller.restrictedToLicenseArn}; they may not call ${operation}.`,
        );
      }
      // Validated as sent (longs exact), then carried on with longs exact and other numbers as numbers.
      const sent = resolved.readInput();
      input = withModelNumbers(api, api.operations[operation]?.input, sent);
      validate(api, operation, sent);
      ({ response, output } = await this.dispatch(api, operation, input, caller, requestId, resolved.protocol));
    } catch (error) {
      api ??= guessApi(request);
      const failure = this.asGatewayError(api, error, requestId);
      errorCode = failure.code;
      errorMessage = failure.message;
      const answering = api ?? apiTriedBy(request);
      response = errorResponse(answering, failure, requestId, wireProtocolOf(answering, request));
    }
    this.metrics.recordResponse(request, { api, operation, status: response.status, errorCode }, started);
    if (response.status === THROTTLED_STATUS) return response;
    logRequest(request, { requestId, api, operation, caller, status: response.status, errorCode, started });
    this.audit.record(request, {
      requestId,
      api,
      operation,
      caller,
      input,
      output,
      errorCode,
      errorMessage,
      eventTime,
      region: this.config.region,
    });
    return response;
  }

  /**
   * SigV4 against a long-term key of the credential store (synchronously, the common case) or,
   * for a key the store does not know, against the temporary credentials grants issued for it.
   */
  private async authenticate(request: HttpRequest): Promise<{ caller: Caller; signingService: string }> {
    const [path, query = ''] = splitUrl(request.url);
    const received: ReceivedRequest = {
      method: request.method,
      path,
      query,
      headers: request.headers,
      body: request.body,
    };
    const now = this.now();
    const claims = readTimelyClaims(received, { now, region: this.config.region });
    const longTerm = this.credentials.secretFor(claims.accessKeyId);
    if (longTerm) {
      const verified = verifyClaims(received, claims, longTerm, now);
      return {
        caller: this.credentials.callerFor(verified.accessKeyId, this.config.region),
        signingService: verified.service,
      };
    }
    // Only a request that carries a session token can be signed with temporary credentials.
    const session = claims.securityToken === undefined ? null : await this.sessions.find(claims.accessKeyId);
    const secret = session
      ? {
          secretAccessKey: session.SecretAccessKey,
          sessionToken: session.SessionToken,
          expiresAt: new Date(session.Expiration),
        }
      : undefined;
    const verified = verifyClaims(received, claims, secret, now);
    // verifyClaims refuses a request without a secret, so the session is known here.
    return {
      caller: this.credentials.sessionCallerFor(session!, this.config.region),
      signingService: verified.service,
    };
  }

  private async dispatch(
    api: ApiModel,
    operation: string,
    input: Record<string, unknown>,
    caller: Caller | undefined,
    requestId: string,
    protocol: WireProtocol,
  ): Promise<{ response: HttpResponse; output: Record<string, unknown> }> {
    const owner = resolveOwner(api.id, operation, input);
    if ('error' in owner) throw new GatewayError(validationErrorName(api, operation), 400, owner.error);
    // resolveOwner found the operation in the ownership table, so its owner has a subject for it.
    const subject = operationSubject(
      owner.service,
      ownedOperationName(api.id, operation) as OwnedOperation<ServiceName>,
    );
    let reply;
    try {
      reply = await this.metrics.timeNatsRequest(owner.service, operation, () =>
        this.routing.call(
          owner.service,
          caller?.accountId,
          subject,
          caller ? { requestId, caller, input } : { requestId, input },
        ),
      );
    } catch (error) {
      if (error instanceof NoRespondersError) throw await this.notServed(owner.service, operation);
      if (error instanceof OperationTimeoutError) {
        throw new GatewayError(
          'ServiceUnavailableException',
          503,
          `The ${owner.service} service did not answer ${operation} in time.`,
        );
      }
      throw error;
    }
    if (!reply.ok) {
      // A service that cannot do the work for the moment (its database unreachable) is answered as one that did not answer in time.
      if (reply.error.name === 'ServiceUnavailableException')
        throw new GatewayError('ServiceUnavailableException', 503, reply.error.message);
      const name = modeledErrorName(api, operation, reply.error.name);
      // The API's validation error is a 400 even where the model has no shape for it (CloudWatch's GetMetricData).
      const status = api.errors[name] ?? (name === validationErrorName(api, operation) ? 400 : undefined);
      if (status === undefined)
        throw new GatewayError(internalErrorName(api), 500, 'The service failed to process the request.');
      if (!api.operations[operation].errors.includes(name) && name !== validationErrorName(api, operation)) {
        // Still answered (clients know every error shape of the API), but a service bug to fix.
        logger.warn({
          msg: `${owner.service} answered ${operation} with ${name}, which the API model does not list for it`,
          requestId,
        });
      }
      throw new GatewayError(name, status, reply.error.message, reply.error.fields);
    }
    const output = reply.output as Record<string, unknown>;
    return { response: successResponse(api, operation, output, requestId, protocol), output };
  }

  /**
   * Nobody answers an operation's subject: either its service runs without a handler for it
   * (this build does not implement it yet) or the service is not running (not deployed).
   */
  private async notServed(service: ServiceName, operation: string): Promise<GatewayError> {
    const message = (await this.servicePresence(service))
      ? `${operation} is not implemented in this build.`
      : `${operation} is served by the ${service} service, which is not running.`;
    return new GatewayError('NotImplementedException', 501, message);
  }

  private asGatewayError(api: ApiModel | undefined, error: unknown, requestId: string): GatewayError {
    if (error instanceof GatewayError) return error;
    if (error instanceof AuthenticationError) return new GatewayError(error.code, error.httpStatus, error.message);
    logger.error({ msg: `unexpected failure: ${(error as Error)?.message ?? String(error)}`, requestId, err: error });
    return new GatewayError(
      api ? internalErrorName(api) : 'InternalFailure',
      500,
      'The gateway failed to process the request.',
    );
  }
}
