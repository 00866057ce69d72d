import { connect } from 'nats';
import { Client } from 'pg';
import { serviceDatabaseVariable } from './config/common-config';
import type { Environment } from './config/settings';

/**
 * Checks, before Nest starts, that PostgreSQL and NATS answer, so that a service started without
 * them stops with one line saying what to start or set instead of a wall of ECONNREFUSED traces
 * (or retrying forever). A server that is still starting gets until the deadline to answer.
 */

/** A dependency that did not answer: its message is the single line an operator reads. */
export class UnreachableDependencyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreachableDependencyError';
  }
}

/** Pause between attempts on a server that does not answer yet. */
const RETRY_PAUSE_MS = 500;
/** An attempt that hangs (a firewall dropping packets) is cut off after this, so another can follow. */
const ATTEMPT_TIMEOUT_MS = 5_000;

/** Network failures that a server starting up also gives: retried until the deadline. */
const NOT_LISTENING_YET: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'no answer',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  TIMEOUT: 'no answer',
  // PostgreSQL's cannot_connect_now: starting up or shutting down.
  '57P03': 'the database system is starting up',
};

/**
 * `<SERVICE>_DATABASE_URL` when set, else DATABASE_URL: the variable the service's database URL
 * came from (see commonSettings), so the message names the one to change.
 */
export function databaseVariableOf(service: string, env: Environment): string {
  const own = serviceDatabaseVariable(service);
  return env[own]?.trim() ? own : 'DATABASE_URL';
}

/** The URL without its password (`postgres://user:***@host:5432/db`): messages and logs never show it. */
export function maskPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    // Not a URL (a libpq keyword string?): nothing of it is shown rather than risk the password.
    return '(unparsable URL)';
  }
}

export interface StartupCheck {
  /** Who checks: `licensing`, `gateway`. */
  service: string;
  timeoutMs: number;
}

/** Resolves once PostgreSQL at `url` accepts a session; else throws UnreachableDependencyError. */
export async function checkPostgres(
  { service, timeoutMs }: StartupCheck,
  url: string,
  variable: string,
): Promise<void> {
  const where = `PostgreSQL at ${maskPassword(url)} (${variable})`;
  await retryUntil(timeoutMs, async (remainingMs) => {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: attemptTimeout(remainingMs) });
    // A session that dies after connecting reports here; without a listener it would crash the process.
    client.on('error', () => undefined);
    try {
      await client.connect();
    } finally {
      await client.end().catch(() => undefined);
    }
  }).catch((error: unknown) => {
    throw failure(service, where, variable, error, 'Start PostgreSQL');
  });
}

/**
 * Resolves once NATS at `servers` accepts a connection and, when `jetStream`, has JetStream
 * enabled; else throws UnreachableDependencyError.
 */
export async function checkNats(
  { service, timeoutMs }: StartupCheck,
  servers: readonly string[],
  { jetStream }: { jetStream: boolean },
): Promise<void> {
  const where = `NATS at ${servers.map(maskPassword).join(',')} (NATS_URL)`;
  const nc = await retryUntil(timeoutMs, (remainingMs) =>
    connect({ servers: [...servers], name: `${service}-startup-check`, timeout: attemptTimeout(remainingMs) }),
  ).catch((error: unknown) => {
    throw failure(service, where, 'NATS_URL', error, 'Start nats-server -js');
  });
  try {
    if (jetStream) {
      await nc.jetstreamManager().catch(() => {
        throw new UnreachableDependencyError(
          `${service} needs JetStream, which ${where} does not have enabled. Start nats-server with -js or set NATS_URL.`,
        );
      });
    }
  } finally {
    await nc.close();
  }
}

/** Calls `attempt` until it succeeds, a failure is not one of NOT_LISTENING_YET, or `timeoutMs` has passed. */
async function retryUntil<T>(timeoutMs: number, attempt: (remainingMs: number) => Promise<T>): Promise<T> {
  // The monotonic clock: a step of the wall clock neither cuts the wait short nor makes it hours.
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt(deadline - performance.now());
    } catch (error) {
      if (!reasonNotListening(error) || performance.now() + RETRY_PAUSE_MS >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
    }
  }
}

const attemptTimeout = (remainingMs: number) => Math.max(100, Math.min(remainingMs, ATTEMPT_TIMEOUT_MS));

/** pg and Node give the code on the error; nats.js on its `chainedError` (the socket's) or itself. */
function reasonNotListening(error: unknown): string | undefined {
  const { code, chainedError, message } = error as {
    code?: string;
    chainedError?: { code?: string };
    message?: string;
  };
  const known = NOT_LISTENING_YET[chainedError?.code ?? ''] ?? NOT_LISTENING_YET[code ?? ''];
  // pg names a connection timeout only in its message.
  return known ?? (/timeout/i.test(message ?? '') ? 'no answer' : undefined);
}

function failure(service: string, where: string, variable: string, error: unknown, start: string): Error {
  const notListening = reasonNotListening(error);
  if (notListening) {
    return new UnreachableDependencyError(
      `${service} cannot reach ${where}: ${notListening}. ${start} or set ${variable}.`,
    );
  }
  // The server answered but refused (a wrong password, a missing database): starting it would not help.
  const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  return new UnreachableDependencyError(`${service} cannot use ${where}: ${reason}. Set ${variable}.`);
}

/**
 * Waits for every check (run together, so the deadline bounds them all); throws one
 * UnreachableDependencyError with a line per dependency that failed, so one restart fixes them all.
 */
export async function assertDependenciesAnswer(checks: readonly Promise<void>[]): Promise<void> {
  const failures = (await Promise.allSettled(checks)).flatMap((result) =>
    result.status === 'rejected' ? [result.reason as unknown] : [],
  );
  if (failures.length === 0) return;
  const unexpected = failures.find((failure) => !(failure instanceof UnreachableDependencyError));
  if (unexpected) throw unexpected;
  throw new UnreachableDependencyError((failures as Error[]).map((failure) => failure.message).join('\n'));
}
