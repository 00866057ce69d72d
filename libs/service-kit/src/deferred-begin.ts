/** A pg session's query function, as the pool's wrapper calls it. */
export type SessionQuery = (...args: unknown[]) => unknown;

/** What Kysely reads of the answer to its `begin` (it ignores it). */
const BEGUN = { command: 'BEGIN', rowCount: null, rows: [] };

/**
 * A session whose `begin` travels with the transaction's first statement, one round trip instead
 * of two: when that statement has no parameters, in one message (the simple query protocol takes
 * several statements in one; an event store's append opens with such a statement, its
 * projections' shared locks); otherwise (the extended protocol, one statement per message) the
 * `begin` is sent right before it, and a pipelined session (database-pool.ts) sends both without
 * waiting for the `begin`'s answer. The transaction is the same either way: the same statements
 * in the same order on the session, each with its own snapshot, and an error in the first one
 * leaves the transaction aborted for Kysely's rollback, as before. Only a plain `begin` is
 * deferred (not `start transaction ...`).
 */
export function deferringBegin(query: SessionQuery): SessionQuery {
  let beginPending = false;
  return (...args: unknown[]) => {
    if (!beginPending) {
      if (!isPlainBegin(args)) return query(...args);
      beginPending = true;
      return Promise.resolve(BEGUN);
    }
    beginPending = false;
    if (isParameterless(args))
      return (query(`begin;${args[0] as string}`, []) as Promise<unknown>).then(lastStatementResult);
    // pg sends a session's queries in the order they are asked (a pipelined one, without waiting).
    (query('begin') as Promise<unknown>).catch(() => undefined);
    return query(...args);
  };
}

function isPlainBegin([text, values, ...rest]: unknown[]): boolean {
  return (
    typeof text === 'string' &&
    text.toLowerCase() === 'begin' &&
    (values === undefined || (Array.isArray(values) && values.length === 0)) &&
    rest.length === 0
  );
}

function isParameterless([text, values, ...rest]: unknown[]): boolean {
  return (
    typeof text === 'string' &&
    (values === undefined || (Array.isArray(values) && values.length === 0)) &&
    rest.length === 0 &&
    !/^\s*(commit|rollback)\b/i.test(text)
  );
}

/** pg answers a simple query of several statements with one result each: the caller asked for the last. */
function lastStatementResult(result: unknown): unknown {
  return Array.isArray(result) ? result[result.length - 1] : result;
}
