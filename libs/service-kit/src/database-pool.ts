import type { Writable } from 'node:stream';
import { Logger } from '@nestjs/common';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import { parseExactJson } from '@lm/contracts';
import { Pool, types, type PoolClient, type PoolConfig } from 'pg';
import { isPastCurrentDeadline, lateRequest } from './late-request';
import { deferringBegin } from './deferred-begin';
import { sendPrepared } from './prepared-statements';
import { SharedSessions } from './shared-sessions';

/**
 * SQLSTATEs of a server that turns a new session away for the moment: too_many_connections (its
 * max_connections, or a role's or database's connection limit, is taken) and cannot_connect_now
 * (starting up or shutting down).
 */
const REFUSED_FOR_NOW = new Set(['53300', '57P03']);

const logger = new Logger('database');

/** A pool shares one of its sessions for each this many among statements outside transactions (shared-sessions.ts). */
const SESSIONS_PER_SHARED = 4;

/** json and jsonb read with longs exact (see @lm/contracts exact-json): events and views keep the digits they were given. */
const JSON_OIDS = new Set([114, 3802]);
const EXACT_JSON_TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    JSON_OIDS.has(oid) && format !== 'binary'
      ? parseExactJson
      : types.getTypeParser(oid, format)) as typeof types.getTypeParser,
};

export interface DatabasePoolOptions {
  connectionString: string;
  /** Sessions the pool keeps at most. */
  max: number;
  /** How long a caller waits, in all, for a server that keeps turning new sessions away. */
  patienceMs?: number;
}

/**
 * The service's pool of PostgreSQL sessions, as Kysely takes it. A pool opens sessions as load
 * grows, just when every other process's pool does too: a server whose connections are all taken
 * then refuses the new session. That is contention, not a failure of the request: the caller waits
 * (pausing a little longer each time) until a session is free, as it waits for one of its own
 * pool's, instead of the request failing with an internal error. Any other error is not retried.
 */
export function openDatabasePool({ connectionString, max, patienceMs = 15_000 }: DatabasePoolOptions): PostgresPool {
  // Pipelined: a session sends each query as it is asked instead of after the previous answer.
  // Kysely asks one at a time and waits for each; only a deferred begin is sent with the
  // statement behind it (deferred-begin.ts), one round trip for both whatever that statement is.
  const pool = new Pool({ connectionString, max, types: EXACT_JSON_TYPES, pipeline: true } as PoolConfig);
  // A session the server ends (a restart, a failover, an administrator) fails its query, if it has
  // one, and is dropped from the pool, which opens another when next asked. pg also emits the end
  // as an 'error' on the session, and on the pool while it is idle: unheard, that error would end
  // the process. Each session reports its own end; the pool's copy adds nothing.
  pool.on('connect', (client) => {
    client.on('error', (error) => logger.warn(`a database session ended: ${error.message}`));
    wrapQueries(client);
  });
  pool.on('error', () => undefined);
  const connect = async (): Promise<PoolClient> => {
    const deadline = Date.now() + patienceMs;
    for (let pause = 10; ; pause = Math.min(pause * 2, 500)) {
      try {
        return await pool.connect();
      } catch (error) {
        if (!REFUSED_FOR_NOW.has((error as { code?: string }).code ?? '') || Date.now() + pause > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, pause * (0.5 + Math.random() / 2)));
      }
    }
  };
  // A pool of one session cannot share it: a transaction would wait for it forever.
  const shared = max > 1 ? new SharedSessions(connect, Math.max(1, Math.floor(max / SESSIONS_PER_SHARED))) : undefined;
  return {
    connect: async (): Promise<PostgresPoolClient> => (shared ? shared.client(connect) : connect()),
    end: async () => {
      shared?.close();
      await pool.end();
    },
  };
}

/**
 * Every query of a session goes through here: parameterised ones are sent as prepared statements
 * (prepared-statements.ts), a transaction's `begin` with its first statement when it can
 * (deferred-begin.ts), and the commit of a transaction whose request has passed its deadline
 * (isPastCurrentDeadline) becomes a rollback: its asker has answered 503 already, and its client
 * may have asked again, so what it did must not be kept. Kysely ends every transaction with
 * `commit` on the session.
 */
function wrapQueries(client: PoolClient): void {
  const send = client.query.bind(client) as (...args: unknown[]) => unknown;
  const writeOncePerTurn = oneWritePerTurn(client);
  const query = deferringBegin((...args: unknown[]) => {
    writeOncePerTurn();
    return sendPrepared(send, args);
  });
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].toLowerCase() === 'commit' && isPastCurrentDeadline()) {
      return (query('rollback') as Promise<unknown>).then(() => {
        throw lateRequest();
      });
    }
    return query(...args);
  };
}

/**
 * Holds a session's messages until the current turn of the event loop ends, then writes them in
 * one system call: a pipelined session sends statements without waiting (a deferred `begin` and
 * its statement, a StatementPipeline's writes and the commit behind them), and each would be a
 * socket write of its own. Nothing waits longer than the turn: the messages leave before the
 * process next waits for the network. pg corks the socket around each statement's messages; a cork
 * held around them keeps them until its own uncork.
 */
function oneWritePerTurn(client: PoolClient): () => void {
  let held = false;
  return () => {
    if (held) return;
    const socket = (client as unknown as { connection: { stream: Writable } }).connection.stream;
    held = true;
    socket.cork();
    process.nextTick(() => {
      held = false;
      socket.uncork();
    });
  };
}
