import type { PostgresPoolClient } from 'kysely';
import { performance } from 'node:perf_hooks';
import type { PoolClient } from 'pg';

/** A session's query function, as Kysely calls it. */
type Query = (...args: unknown[]) => unknown;

/** A session that statements outside transactions share, and how many of theirs it has not answered yet. */
interface SharedSession {
  client: PoolClient;
  pending: number;
  /** Since when (performance.now()) its oldest unanswered statement has been the one it works on. */
  headSince: number;
}

/**
 * While a shared session has this many statements unanswered, another is opened (up to the
 * limit) rather than queue behind them: a few in one round trip is the saving, a long queue only
 * latency.
 */
const BUSY_AT = 4;

/**
 * A session whose statement has run this long is passed over while another can take the
 * statement: a pipelined session answers in order, and a slow statement (a large list, a report)
 * would hold up every statement sent behind it.
 */
const SLOW_MS = 50;

/**
 * Statements outside a transaction (a query's read, an autocommitted write) sent on a few sessions
 * that all the service's requests share, instead of a session each. The sessions are pipelined
 * (database-pool.ts): statements asked while earlier ones are unanswered go at once, those asked
 * in one turn of the event loop in one write, and PostgreSQL's backend answers all it has received
 * before it waits again. On two cores each wake-up of a backend cost more than the statement it
 * answered: 16 concurrent reads on 16 sessions cost PostgreSQL 39 µs each, on 2 sessions 17; under
 * bench:profile's GetLicenseConfiguration, PostgreSQL's CPU per request fell from 389 to 207 µs,
 * licensing's writes from two to one (its replies and queries share them), and all processes'
 * CPU per Get from 1,848 to 1,407 µs.
 * A transaction keeps a session of its own from its `begin` to its end, as do a cursor's reads.
 * Each statement has its own Sync, so one's error does not touch the others'. A session that
 * fails or ends is dropped and replaced when next needed.
 */
export class SharedSessions {
  private readonly sessions: SharedSession[] = [];
  private opening?: Promise<SharedSession>;

  constructor(
    /** A session of the pool's, kept until it fails. */
    private readonly open: () => Promise<PoolClient>,
    /** Sessions shared at most: the pool keeps the rest for transactions. */
    private readonly limit: number,
  ) {}

  /**
   * A client for Kysely: it sends on a shared session until its first statement is a `begin`,
   * then takes a session of its own (`exclusive`) until released.
   */
  client(exclusive: () => Promise<PoolClient>): PostgresPoolClient {
    let own: Promise<PoolClient> | undefined;
    // Later statements of one client go on its first statement's session, in the order asked.
    let shared: Promise<SharedSession> | undefined;
    const query: Query = (...args) => {
      if (own === undefined && shared === undefined && opensSession(args)) own = exclusive();
      if (own !== undefined) return own.then((client) => (client.query as Query)(...args));
      shared ??= this.pick();
      return shared.then((session) => this.send(session, args));
    };
    return {
      query: query as PostgresPoolClient['query'],
      release: (destroy?: boolean) => {
        // A session that could not be had has nothing to release (its query failed with the reason).
        void own?.then(
          (client) => client.release(destroy),
          () => undefined,
        );
      },
    };
  }

  /** Releases the shared sessions to their pool (before it ends). */
  close(): void {
    for (const session of this.sessions.splice(0)) session.client.release();
  }

  private async send(session: SharedSession, args: unknown[]): Promise<unknown> {
    if (session.pending++ === 0) session.headSince = performance.now();
    try {
      return await (session.client.query as Query)(...args);
    } finally {
      // Answers come in order: the next unanswered statement is now the one it works on.
      session.pending -= 1;
      session.headSince = performance.now();
    }
  }

  /**
   * The least busy session that is not held up by a slow statement (any, if all are), or a new
   * one when every session is busy or slow and the limit allows.
   */
  private pick(): Promise<SharedSession> {
    const now = performance.now();
    const heldUp = (session: SharedSession) => session.pending > 0 && now - session.headSince > SLOW_MS;
    const load = (session: SharedSession) => (heldUp(session) ? BUSY_AT + session.pending : session.pending);
    const idlest = this.sessions.reduce<SharedSession | undefined>(
      (best, session) => (best === undefined || load(session) < load(best) ? session : best),
      undefined,
    );
    if (idlest !== undefined && (load(idlest) < BUSY_AT || this.sessions.length >= this.limit))
      return Promise.resolve(idlest);
    const opening = (this.opening ??= this.openOne().finally(() => (this.opening = undefined)));
    if (idlest === undefined) return opening;
    if (!heldUp(idlest)) {
      // Busy but answering: the statement queues there while another session opens for later ones
      // (one that cannot be opened, the server's sessions all taken, is tried again when next needed).
      opening.catch(() => undefined);
      return Promise.resolve(idlest);
    }
    // Every session held up by a slow statement: wait for the new one, or for the least held up if it cannot be had.
    return opening.catch(() => idlest);
  }

  private async openOne(): Promise<SharedSession> {
    const client = await this.open();
    const session: SharedSession = { client, pending: 0, headSince: 0 };
    const drop = () => {
      const index = this.sessions.indexOf(session);
      if (index < 0) return;
      this.sessions.splice(index, 1);
      client.release(true);
    };
    client.once('error', drop);
    client.once('end', drop);
    this.sessions.push(session);
    return session;
  }
}

/**
 * Whether a client's first statement needs a session of its own: a transaction's `begin` (its
 * statements hold locks and see one another's writes), or a query object such as a cursor.
 */
function opensSession([first]: unknown[]): boolean {
  return typeof first !== 'string' || /^\s*(begin|start\s+transaction)\b/i.test(first);
}
