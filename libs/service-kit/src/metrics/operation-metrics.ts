import { Logger } from '@nestjs/common';
import { Counter, type Registry } from 'prom-client';
import type { AnsweredRequest } from '../operation-server';

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
 * What the chassis does with each request its server answered (OperationServer.observe): counts
 * it by outcome when it is one of the service's operations (not a health check), and writes one
 * debug line with the request id the gateway sent, so that LM_LOG_LEVEL=debug follows a request
 * from the gateway's request line into the service.
 */
export function operationObserver(
  count: (operation: string, outcome: OperationOutcome) => void,
  operationSubjects: ReadonlySet<string>,
): (answered: AnsweredRequest) => void {
  const logger = new Logger('Operation');
  return ({ subject, operation, requestId, durationMs, error }) => {
    if (operationSubjects.has(subject)) count(operation, error === undefined ? 'ok' : 'error');
    logger.debug({
      msg: error === undefined ? 'operation handled' : 'operation failed',
      requestId,
      operation,
      durationMs: Math.round(durationMs),
      error,
    });
  };
}
