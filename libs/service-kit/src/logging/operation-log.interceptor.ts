import { Injectable, Logger, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { tap } from 'rxjs';
import { operationContextOf } from './operation-context';

/**
 * One debug line for each operation a service handles, with the request id the gateway sent,
 * so that LM_LOG_LEVEL=debug follows a request from the gateway's request line into the service.
 */
@Injectable()
export class OperationLogInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Operation');

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const started = performance.now();
    const handled = (error?: string) =>
      this.logger.debug({
        msg: error ? 'operation failed' : 'operation handled',
        ...operationContextOf(context),
        durationMs: Math.round(performance.now() - started),
        error,
      });
    return next
      .handle()
      .pipe(tap({ complete: () => handled(), error: (exception) => handled(errorNameOf(exception)) }));
  }
}

/** An AwsError's name is its code (what the client is answered); for anything else, its class. */
const errorNameOf = (exception: unknown) => (exception instanceof Error ? exception.name : typeof exception);
