import { Client } from 'pg';

/**
 * First key of every subscription lease's advisory lock (`'LMSL'`). The lease takes the two-int4
 * form of the lock, whose keys PostgreSQL keeps apart from the bigint form's that the rest of the
 * project takes (migrations, checkpoints, consumers, page token keys): the two cannot collide.
 */
export const SUBSCRIPTION_LEASE_LOCK_SPACE = 0x4c4d534c;

/** After losing the lease, a replica waits this many intervals before trying again: a healthy standby goes first. */
const INTERVALS_AFTER_A_LOSS = 2;

export interface SubscriptionLeaseOptions {
  /** The service's database (its pool's): the lease is held on a session of its own there. */
  connectionString: string;
  /** The service's schema: one lease per schema of a database, whichever replica holds it. */
  schema: string;
  /** How often a standby tries to take the lease, and how often the holder checks its session. */
  intervalMs: number;
  /** Told each time this replica takes the lease (true) and loses it (false); not when it is closed. */
  onChange: (held: boolean) => void;
  logger: { log(message: string): void; warn(message: string): void };
}

/**
 * Which replica of a service runs its store subscriptions (the event relay and the definition's
 * subscriptions): the one holding a session-level advisory lock, on a PostgreSQL session of its
 * own, on the service's schema. Every replica running them read each event and did each piece of
 * work once per replica (and relays at different positions published out of store order); now the
 * others stand by, trying every interval.
 *
 * The lock is PostgreSQL's to give: it is released when its session ends, however it ends (the
 * process killed, the session terminated, the server restarted). The holder learns of the end from
 * the client's 'error' and 'end' events, or from a `select 1` every interval that fails, and stops
 * its subscriptions; a standby takes the lease within an interval. A holder that loses its session
 * without noticing (a network split) may run beside the new holder for up to an interval plus the
 * TCP keepalive: harmless, since subscriptions are at-least-once and the relay's duplicates are
 * dropped by JetStream. Needs a direct session to PostgreSQL (a pooler in transaction mode would
 * not keep a session-level lock).
 */
export class SubscriptionLease {
  private client?: Client;
  private holding = false;
  private running = true;
  private lostAt = -Infinity;
  private interruptPause?: () => void;
  private readonly loop: Promise<void>;

  constructor(private readonly options: SubscriptionLeaseOptions) {
    this.loop = this.run();
  }

  get held(): boolean {
    return this.holding;
  }

  /** Stops trying and gives the lease up (ending its session releases the lock). */
  async close(): Promise<void> {
    this.running = false;
    this.interruptPause?.();
    await this.loop;
    const client = this.client;
    this.client = undefined;
    this.holding = false;
    await client?.end().catch(() => undefined);
  }

  private async run(): Promise<void> {
    const { intervalMs } = this.options;
    while (this.running) {
      if (performance.now() - this.lostAt >= INTERVALS_AFTER_A_LOSS * intervalMs) await this.check();
      await this.pause(intervalMs);
    }
  }

  /** Takes the lease if it is free, or checks that the session holding it is still there. */
  private async check(): Promise<void> {
    let client = this.client;
    try {
      if (!client) {
        client = this.client = this.openClient();
        await client.connect();
      }
      if (this.holding) {
        await client.query('select 1');
        return;
      }
      const { rows } = await client.query<{ taken: boolean }>(
        'select pg_try_advisory_lock($1, hashtext($2)) as taken',
        [SUBSCRIPTION_LEASE_LOCK_SPACE, this.options.schema],
      );
      // Taken while closing: close() ends the session, which releases it.
      if (rows[0].taken && this.running && this.client === client) {
        this.holding = true;
        this.options.logger.log(
          `took the subscription lease of ${this.options.schema}: running the store subscriptions`,
        );
        this.options.onChange(true);
      }
    } catch (error) {
      if (client) this.sessionEnded(client, error);
    }
  }

  private openClient(): Client {
    const client = new Client({
      connectionString: this.options.connectionString,
      keepAlive: true,
      application_name: `lm subscription lease (${this.options.schema})`,
    });
    // Unheard, an 'error' (the session terminated, the server gone) would end the process.
    client.on('error', (error) => this.sessionEnded(client, error));
    client.on('end', () => this.sessionEnded(client, new Error('the session ended')));
    return client;
  }

  /** The lease's session is gone (or unusable): so is the lease, if it was held. Called once per client. */
  private sessionEnded(client: Client, error: unknown): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    if (!this.holding) return;
    this.holding = false;
    this.lostAt = performance.now();
    const reason = error instanceof Error ? error.message : String(error);
    this.options.logger.warn(`lost the subscription lease of ${this.options.schema} (${reason}): standing by`);
    this.options.onChange(false);
  }

  private async pause(ms: number): Promise<void> {
    if (!this.running) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.interruptPause = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.interruptPause = undefined;
  }
}
