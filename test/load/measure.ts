import { performance } from 'node:perf_hooks';

export const DEFAULT_WARMUP_MS = 1_000;
/** LM_BENCH_DURATION_MS shortens (or lengthens) every measured window, e.g. for a quick check on a busy machine. */
export const DEFAULT_DURATION_MS = Number(process.env.LM_BENCH_DURATION_MS ?? 5_000);

export interface LoadOptions {
  /** Simulated clients, each sending its next request as soon as the previous one is answered. */
  clients: number;
  /** Time to let connections, JIT and caches settle; nothing sent during it is counted. */
  warmupMs?: number;
  /** The measured window. */
  durationMs?: number;
}

export interface LoadResult {
  clients: number;
  /** Requests answered successfully within the measured window. */
  requests: number;
  /** Requests that failed within the measured window. */
  errors: number;
  /** Successful requests per second over the measured window. */
  throughput: number;
  p50Ms: number;
  p99Ms: number;
  /**
   * Successful requests completed in each second of the window: shows whether the rate holds
   * or drifts as the run grows the state it works on.
   */
  perSecond: number[];
  /** Calls completed in the whole run, warm-up included: what the run's CPU time was spent on. */
  completed: number;
  /** The first failure's message, so that a run with errors says why. */
  firstError?: string;
}

/**
 * Closed-loop load: `clients` loops call `request` back to back until the window ends. Only
 * requests that complete inside the window count, so throughput is not inflated by the
 * warm-up or by the requests still in flight when the window closes.
 */
export async function runLoad(
  request: (client: number) => Promise<unknown>,
  options: LoadOptions,
): Promise<LoadResult> {
  const { clients, warmupMs = DEFAULT_WARMUP_MS, durationMs = DEFAULT_DURATION_MS } = options;
  const windowStart = performance.now() + warmupMs;
  const windowEnd = windowStart + durationMs;
  const latencies: number[] = [];
  const perSecond = new Array<number>(Math.ceil(durationMs / 1_000)).fill(0);
  let errors = 0;
  let completed = 0;
  let firstError: string | undefined;

  const client = async (index: number) => {
    while (performance.now() < windowEnd) {
      const started = performance.now();
      let failure: unknown;
      try {
        await request(index);
      } catch (error) {
        failure = error;
      }
      const finished = performance.now();
      completed += 1;
      if (finished < windowStart || finished > windowEnd) continue;
      if (failure === undefined) {
        latencies.push(finished - started);
        perSecond[Math.min(perSecond.length - 1, Math.floor((finished - windowStart) / 1_000))] += 1;
      } else {
        errors += 1;
        firstError ??= describe(failure);
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, index) => client(index)));

  latencies.sort((a, b) => a - b);
  return {
    clients,
    requests: latencies.length,
    errors,
    throughput: latencies.length / (durationMs / 1_000),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    perSecond,
    completed,
    firstError,
  };
}

/** Nearest-rank percentile of ascending values; 0 when there are none. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

function describe(error: unknown): string {
  const e = error as { name?: string; message?: string };
  return e?.name ? `${e.name}: ${e.message ?? ''}` : String(error);
}
