/**
 * SQLSTATEs of a server that is going away or not there yet: its sessions were ended by a
 * shutdown (admin_shutdown, crash_shutdown), it is starting or stopping (cannot_connect_now), or
 * the connection failed (class 08).
 */
const SERVER_GOING_OR_GONE = new Set(['57P01', '57P02', '57P03']);

/**
 * SQLSTATEs of a server that cannot take writes for the moment: read-only (read_only_sql_transaction:
 * a standby, or the database or role set read-only) or out of disk (disk_full). The transaction that
 * met it is rolled back whole: nothing of the request is kept.
 */
const CANNOT_WRITE_NOW = new Set(['25006', '53100']);

/** What Node and pg report when no session can be had or the one in use was cut. */
const CONNECTION_FAILURES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
const CONNECTION_CUT = /^Connection terminated|^Client has encountered a connection error|^Client was closed/;

/**
 * Whether a failure is the database being unreachable (restarting, failing over, down) or unable
 * to take writes (read-only, disk full) rather than a fault of the request: the request can be
 * asked again once it is back, so the client is told ServiceUnavailableException (503) instead of
 * an internal error. The pool opens new sessions by itself once the server answers again.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (
    typeof code === 'string' &&
    (SERVER_GOING_OR_GONE.has(code) ||
      CANNOT_WRITE_NOW.has(code) ||
      code.startsWith('08') ||
      CONNECTION_FAILURES.has(code))
  )
    return true;
  if (CONNECTION_CUT.test(error.message)) return true;
  // Several addresses refused (localhost as ::1 and 127.0.0.1): Node reports them together.
  return error instanceof AggregateError && error.errors.some(isDatabaseUnavailable);
}
