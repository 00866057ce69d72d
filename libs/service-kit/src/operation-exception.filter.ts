import { Catch, Logger, type ArgumentsHost, type RpcExceptionFilter } from '@nestjs/common';
import type { OperationError } from '@lm/contracts';
import { ExpectedVersionConflictError } from '@lm/event-store';
import { throwError, type Observable } from 'rxjs';
import { AwsError } from '@lm/contracts';
import { isDatabaseUnavailable } from './database-unavailable';
import { operationContextOf, type OperationContext } from './logging/operation-context';

/** The name the gateway turns into the API's own internal-error shape. */
export const INTERNAL_FAILURE = 'InternalFailure';

/** The name the gateway answers as 503, as it answers an operation that no service answered in time. */
export const SERVICE_UNAVAILABLE = 'ServiceUnavailableException';

/**
 * Turns whatever a handler throws into the error packet of the NATS reply. Only AwsError
 * reaches the client as it is; anything else is logged here, with the operation and the request
 * id, and reported as an internal failure, so that no stack trace or internal detail leaves the
 * service.
 */
@Catch()
export class OperationExceptionFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger('Operation');

  catch(exception: unknown, host: ArgumentsHost): Observable<OperationError> {
    return throwError(() => toOperationError(exception, this.logger, operationContextOf(host)));
  }
}

/**
 * What a client may see of a failure: the AwsError as it is, anything else logged (naming the
 * request when `request` is known) and hidden.
 */
export function toOperationError(exception: unknown, logger: Logger, request?: OperationContext): OperationError {
  if (exception instanceof AwsError) {
    return { name: exception.code, message: exception.message, fields: exception.fields };
  }
  if (exception instanceof ExpectedVersionConflictError) {
    return { name: 'ConflictException', message: 'The resource was changed by another request; retry the request.' };
  }
  const err = exception instanceof Error ? exception : new Error(String(exception));
  if (isDatabaseUnavailable(err)) {
    logger.warn({
      msg: `${request?.operation ?? 'request'} failed: the database is unreachable: ${err.message}`,
      ...request,
    });
    return {
      name: SERVICE_UNAVAILABLE,
      message: 'The service cannot reach its database for the moment; retry the request.',
    };
  }
  logger.error({ msg: `${request?.operation ?? 'request'} failed: ${err.message}`, ...request, err });
  return { name: INTERNAL_FAILURE, message: 'The service failed to process the request.' };
}
