import type { Agent } from 'node:http';
import type { Floor } from './floor';
import { measureFloor } from './floor-comparison';
import { expectSane } from './load-checks';
import { runLoad } from './measure';
import type { AccessKey } from './signed-http-client';

/**
 * How long a load suite runs its paths, unmeasured, before its first window (LM_BENCH_WARM_UP_MS,
 * 15 s unless given), as bench:profile and the scale-out bench do. A system just started pays in
 * its first seconds for what a running one has done long before: JIT compilation of every path,
 * the pool's sessions opened (a backend forked, its catalog caches filled), statements prepared on
 * each. Unwarmed, the launch suite's hot admissions at 1 client ran at 99 req/s as the first
 * window and at 182 once the later windows had warmed the system, on a longer stream.
 */
export const WARM_UP_MS = Number(process.env.LM_BENCH_WARM_UP_MS ?? 15_000);

/** The clients of every warm-up: the most any suite measures, so the pools open every session they will. */
export const WARM_UP_CLIENTS = 64;

/** Runs `step` (each call one of the suite's paths) unmeasured for WARM_UP_MS at WARM_UP_CLIENTS. */
export async function warmUpSystem(step: (client: number) => Promise<unknown>): Promise<void> {
  expectSane(await runLoad(step, { clients: WARM_UP_CLIENTS, warmupMs: 0, durationMs: WARM_UP_MS }));
}

/** The floor's INSERT and SELECT, unmeasured, for as long in all as the system's warm-up: both are compared warm. */
export async function warmUpFloor(floor: Floor, credentials: AccessKey, agent: Agent): Promise<void> {
  const half = { warmupMs: 0, durationMs: WARM_UP_MS / 2 };
  const { insert, select } = await measureFloor(floor, WARM_UP_CLIENTS, credentials, agent, half);
  expectSane(insert);
  expectSane(select);
}
