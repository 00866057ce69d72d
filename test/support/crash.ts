import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { connectedClient } from './test-database';
import type { RunningSystem } from './system';

type ServiceName = Parameters<RunningSystem['kill']>[0];

/** How long the load runs before the crash, how long the service stays down, and how long the load runs after its restart. */
export interface CrashTiming {
  beforeMs: number;
  downMs: number;
  afterMs: number;
}

/** An attempt the system did not answer (see isUnanswered), with when it was sent and when it failed. */
export interface UnansweredAttempt {
  startedAt: number;
  endedAt: number;
  error: unknown;
}

/**
 * What a crash test's clients did: the attempts on the wire now, and every attempt that went
 * unanswered. Every request of the load goes through send().
 */
export class LoadRecord {
  inFlight = 0;
  attempts = 0;
  readonly unanswered: UnansweredAttempt[] = [];

  async send<T>(attempt: () => Promise<T>): Promise<T> {
    const startedAt = Date.now();
    this.attempts++;
    this.inFlight++;
    try {
      return await attempt();
    } catch (error) {
      if (isUnanswered(error)) this.unanswered.push({ startedAt, endedAt: Date.now(), error });
      throw error;
    } finally {
      this.inFlight--;
    }
  }
}

/** When the service was killed and when it answered again, and how many requests the kill caught in flight. */
export interface Outage {
  killedAt: number;
  /** The restarted system was healthy again. */
  restoredAt: number;
  inFlightAtKill: number;
}

/**
 * Runs a load while `service` is killed with SIGKILL in its middle and started again. The load
 * is told to stop (`running()` turns false) once the restarted service has served it for
 * `afterMs`, and is awaited: it finishes what it started. Its requests go through `record`.
 */
export async function crashDuringLoad(
  system: RunningSystem,
  service: ServiceName,
  record: LoadRecord,
  load: (running: () => boolean) => Promise<unknown>,
  timing: CrashTiming = { beforeMs: 700, downMs: 300, afterMs: 700 },
): Promise<Outage> {
  let running = true;
  const loading = load(() => running);
  // A load that fails early is reported below, once the system is whole again.
  loading.catch(() => undefined);
  await sleep(timing.beforeMs);
  const outage = await killAndRestart(system, service, record, timing.downMs);
  await sleep(timing.afterMs);
  running = false;
  await loading;
  return outage;
}

/** Kills `service` with SIGKILL under a load that goes through `record`, and starts it again after `downMs`. */
export async function killAndRestart(
  system: RunningSystem,
  service: ServiceName,
  record: LoadRecord,
  downMs: number,
): Promise<Outage> {
  const inFlightAtKill = record.inFlight;
  const killedAt = Date.now();
  await system.kill(service, 'SIGKILL');
  await sleep(downMs);
  await system.restart(service);
  return { killedAt, restoredAt: Date.now(), inFlightAtKill };
}

/**
 * Whether the client never learned a request's outcome: no HTTP answer came at all, or the
 * gateway found no service to ask (501 NotImplementedException), none answered in time (503
 * ServiceUnavailableException), or the service failed inside (500).
 */
export function isUnanswered(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === undefined || status === 500 || status === 501 || status === 503;
}

/**
 * The unanswered attempts no crash explains: each ended before the kill or was sent after the
 * restarted system was healthy, for every outage. A crash test expects none.
 */
export function unansweredOutside(record: LoadRecord, ...outages: Outage[]): UnansweredAttempt[] {
  return record.unanswered.filter((a) =>
    outages.every((outage) => a.endedAt < outage.killedAt || a.startedAt > outage.restoredAt),
  );
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
export async function untilAnswered<T>(
  record: LoadRecord,
  send: () => Promise<T>,
  giveUpAfterMs = 20_000,
): Promise<Answered<T>> {
  const deadline = Date.now() + giveUpAfterMs;
  for (let unanswered = 0; ; unanswered++) {
    try {
      return { settled: { status: 'fulfilled', value: await record.send(send) }, unanswered };
    } catch (error) {
      if (!isUnanswered(error)) return { settled: { status: 'rejected', reason: error }, unanswered };
      if (Date.now() > deadline) throw error;
      await sleep(50);
    }
  }
}

/** Runs queries on the system's database (its event stores and views), for checks from below the API. */
export async function withSystemDatabase<T>(system: RunningSystem, run: (db: Client) => Promise<T>): Promise<T> {
  const db = await connectedClient(system.databaseUrl);
  try {
    return await run(db);
  } finally {
    await db.end();
  }
}
