import { Client } from 'pg';
import type { RunningSystem } from './system';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type ServiceName = Parameters<RunningSystem['kill']>[0];

/** How long the load runs before the crash, how long the service stays down, and how long the load runs after its restart. */
export interface CrashTiming {
  beforeMs: number;
  downMs: number;
  afterMs: number;
}

/**
 * Runs a load while `service` is killed with SIGKILL in its middle and started again. The load
 * is told to stop (`running()` turns false) once the restarted service has served it for
 * `afterMs`, and is awaited: it finishes what it started.
 */
export async function crashDuringLoad(
  system: RunningSystem,
  service: ServiceName,
  load: (running: () => boolean) => Promise<unknown>,
  timing: CrashTiming = { beforeMs: 700, downMs: 300, afterMs: 700 },
): Promise<void> {
  let running = true;
  const loading = load(() => running);
  // A load that fails early is reported below, once the system is whole again.
  loading.catch(() => undefined);
  await sleep(timing.beforeMs);
  await system.kill(service, 'SIGKILL');
  await sleep(timing.downMs);
  await system.restart(service);
  await sleep(timing.afterMs);
  running = false;
  await loading;
}

/**
 * Whether the client never learned a request's outcome: the gateway found no service to ask
 * (501 NotImplementedException) or none answered in time (503 ServiceUnavailableException), or
 * no HTTP answer came at all.
 */
export function isUnanswered(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === undefined || status === 501 || status === 503;
}

/** A request's answer, and how many of its attempts went unanswered before it. */
export interface Answered<T> {
  settled: PromiseSettledResult<T>;
  unanswered: number;
}

/**
 * Sends a request until the system answers it, the same request each time (an idempotent
 * request repeats its ClientToken), so that every request of a crash test ends known.
 */
export async function untilAnswered<T>(send: () => Promise<T>, giveUpAfterMs = 20_000): Promise<Answered<T>> {
  const deadline = Date.now() + giveUpAfterMs;
  for (let unanswered = 0; ; unanswered++) {
    try {
      return { settled: { status: 'fulfilled', value: await send() }, unanswered };
    } catch (error) {
      if (!isUnanswered(error)) return { settled: { status: 'rejected', reason: error }, unanswered };
      if (Date.now() > deadline) throw error;
      await sleep(50);
    }
  }
}

/** Runs queries on the system's database (its event stores and views), for checks from below the API. */
export async function withSystemDatabase<T>(system: RunningSystem, run: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: system.databaseUrl });
  await db.connect();
  try {
    return await run(db);
  } finally {
    await db.end();
  }
}
