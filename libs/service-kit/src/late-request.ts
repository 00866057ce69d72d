import { Logger } from '@nestjs/common';
import { AwsError } from '@lm/contracts';
import type { OperationContext } from './logging/operation-context';
import { currentScope, inScope } from './request-scope';

const logger = new Logger('Operation');

/** Runs the work of a request with its deadline in force (see isPastCurrentDeadline). */
export function withDeadline<T>(deadline: number | undefined, work: () => T): T {
  return deadline === undefined ? work() : inScope({ deadline }, work);
}

/**
 * Runs `work` outside any request's deadline: background work a request only starts (a step that
 * settles what it recorded, a first retrieval) outlives the request, and must not have its commits
 * rolled back once the request's deadline passes. Use it where such work is started.
 */
export function outsideRequest<T>(work: () => T): T {
  return currentScope()?.deadline === undefined ? work() : inScope({ deadline: undefined }, work);
}

/**
 * Whether the request whose work is running has passed its deadline: the database pool asks it
 * before each commit, so that a request stopped in the middle (its process frozen, its database
 * slow) and resumed after its asker answered 503 rolls back instead of committing late.
 */
export function isPastCurrentDeadline(): boolean {
  const deadline = currentScope()?.deadline;
  return deadline !== undefined && Date.now() > deadline;
}

/** The deadline of the request whose work is running, if it has one: a NewStreamBatcher's urgency. */
export function currentRequestDeadline(): number | undefined {
  return currentScope()?.deadline;
}

/** The deadline an operation request carries, if any. */
export function deadlineOf(request: unknown): number | undefined {
  const deadline = (request as { deadline?: unknown } | null)?.deadline;
  return typeof deadline === 'number' ? deadline : undefined;
}

/**
 * The refusal of a request that reached its deadline before it was carried out: nothing of it is
 * kept. Nobody waits for the answer any more; the log says which request it was.
 */
export function lateRequest(request?: OperationContext): AwsError {
  logger.warn({ msg: `${request?.operation ?? 'a request'} not carried out: its deadline passed`, ...request });
  return new AwsError(
    'ServiceUnavailableException',
    'The request reached its deadline before the service carried it out; it was not carried out.',
  );
}
