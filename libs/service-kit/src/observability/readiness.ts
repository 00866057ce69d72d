import { sql, type Kysely } from 'kysely';
import type { NatsConnection } from 'nats';

/** How long one dependency may take to answer a readiness check: under the probes' 3 s timeout. */
export const READINESS_CHECK_TIMEOUT_MS = 2_000;

/** What GET /health/ready answers: each check `ok` or why it failed. */
export interface ReadinessReport {
  ready: boolean;
  checks: {
    /** `ok` once runService has started the service; `starting` before, `stopping` from a shutdown signal on. */
    lifecycle: string;
    /** `select 1` on the service's database; left out while not running. */
    database?: string;
    /** A round trip to the NATS server on the service's connection; left out while not running. */
    nats?: string;
  };
}

/** What readiness checks once the service runs. */
export interface RunningDependencies {
  db: Kysely<any>;
  nc: NatsConnection;
}

/**
 * Whether a service's process should be sent work: started, not stopping, and its database and
 * NATS answering now. runService tells it when the service has started and when it starts stopping.
 */
export class ServiceReadiness {
  private phase: 'starting' | 'running' | 'stopping' = 'starting';
  private dependencies?: RunningDependencies;
  private readonly database = singleFlight(() => sql`select 1`.execute(this.dependencies!.db));
  private readonly nats = singleFlight(() => this.dependencies!.nc.flush());

  constructor(private readonly timeoutMs = READINESS_CHECK_TIMEOUT_MS) {}

  started(dependencies: RunningDependencies): void {
    this.dependencies = dependencies;
    this.phase = 'running';
  }

  /** From now on not ready, for good: orchestrators stop routing here before the drain. */
  stopping(): void {
    this.phase = 'stopping';
  }

  async report(): Promise<ReadinessReport> {
    if (this.phase !== 'running') return { ready: false, checks: { lifecycle: this.phase } };
    const { nc } = this.dependencies!;
    const [database, nats] = await Promise.all([
      answersWithin(this.database(), this.timeoutMs),
      nc.isClosed()
        ? 'connection closed'
        : nc.isDraining()
          ? 'connection draining'
          : answersWithin(this.nats(), this.timeoutMs),
    ]);
    // The phase may have turned while the checks ran.
    const lifecycle = this.phase === 'running' ? 'ok' : this.phase;
    return { ready: lifecycle === 'ok' && database === 'ok' && nats === 'ok', checks: { lifecycle, database, nats } };
  }
}

/**
 * One check at a time: a probe that comes while the previous check still waits (a database that
 * does not answer) waits on the same one, instead of piling up queries on the pool.
 */
function singleFlight(check: () => Promise<unknown>): () => Promise<unknown> {
  let pending: Promise<unknown> | undefined;
  return () => {
    pending ??= check().finally(() => (pending = undefined));
    return pending;
  };
}

/** `ok`, or why not: the failure's message, or that no answer came in time. */
async function answersWithin(check: Promise<unknown>, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  try {
    return await Promise.race([
      check.then(
        () => 'ok',
        (error: unknown) => `failed: ${error instanceof Error ? error.message : String(error)}`,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
