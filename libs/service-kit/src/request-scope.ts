import { AsyncLocalStorage } from 'node:async_hooks';

/** What the code running now knows of the request it serves. */
export interface RequestScope {
  /** The operation it handles (operation-scope.ts). */
  operation?: string;
  /** Its deadline (late-request.ts). */
  deadline?: number;
}

/**
 * One store for all of it. While any AsyncLocalStorage is in use, Node 20 copies every store onto
 * every promise and callback the process makes (an async_hooks init hook), whether or not anything
 * reads it: with a store each for the operation and the deadline, every promise cost two copies
 * (docs/performance.md, item 67).
 */
const scope = new AsyncLocalStorage<RequestScope>();

/** Runs `work` with `changes` over the current scope. */
export function inScope<T>(changes: RequestScope, work: () => T): T {
  return scope.run({ ...scope.getStore(), ...changes }, work);
}

export function currentScope(): RequestScope | undefined {
  return scope.getStore();
}
