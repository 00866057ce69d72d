import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { NatsContext } from '@nestjs/microservices';
import { Counter, type Registry } from 'prom-client';
import { tap, type Observable } from 'rxjs';

/** Answered with a result, or with an error (a refusal of the domain, bad input, or a fault). */
export type OperationOutcome = 'ok' | 'error';

/** `lm_service_operations_total{operation,outcome}`: the operations a replica answered, by outcome. */
export function operationsCounter(registry: Registry): (operation: string, outcome: OperationOutcome) => void {
  const counter = new Counter({
    name: 'lm_service_operations_total',
    help: 'Operations this replica answered, with a result (ok) or an error (error).',
    labelNames: ['operation', 'outcome'],
    registers: [registry],
  });
  return (operation, outcome) => counter.inc({ operation, outcome });
}

/** The operation a subject carries: its last token (`lm.licensing.CreateLicenseConfiguration`). */
export function operationOfSubject(subject: string): string {
  return subject.slice(subject.lastIndexOf('.') + 1);
}

/**
 * Counts the operations the service answers through `@MessagePattern` controllers: requests on
 * `operationSubjects` only, so that health checks are not counted.
 */
export class OperationCounter implements NestInterceptor {
  constructor(
    private readonly count: (operation: string, outcome: OperationOutcome) => void,
    private readonly operationSubjects: ReadonlySet<string>,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const subject = context.switchToRpc().getContext<NatsContext>().getSubject();
    if (!this.operationSubjects.has(subject)) return next.handle();
    const operation = operationOfSubject(subject);
    return next.handle().pipe(
      tap({
        next: () => this.count(operation, 'ok'),
        error: () => this.count(operation, 'error'),
      }),
    );
  }
}
