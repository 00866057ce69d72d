import { currentScope, inScope } from './request-scope';

/*
 * The operation whose request the code running now serves (its name, the last part of the NATS
 * subject), set by OperationServer around each request's handler. What must be bound to the
 * operation that made it, and cannot be told it by each caller, reads it here: a page token is
 * read back only by the list that wrote it (pagination.ts).
 */

/** Runs `serve` as the handling of a request to `operation`. */
export function inOperation<T>(operation: string, serve: () => T): T {
  return inScope({ operation }, serve);
}

/** The operation being served, undefined outside a request (a sweep, a consumer, a test calling a query). */
export function currentOperation(): string | undefined {
  return currentScope()?.operation;
}
