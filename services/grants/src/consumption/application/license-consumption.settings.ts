/** How consumption runs (from the environment; the defaults suit a single deployment). */
export class ConsumptionSettings {
  constructor(
    /**
     * How long a licence lookup (licence, grants, usage epoch) is reused by checkouts and
     * check-ins: a change to a licence or grant reaches consumption within this time.
     */
    readonly licenseCacheMs = 1_000,
    /** How often leases past their expiration are recorded as expired. */
    readonly sweepIntervalMs = 60_000,
  ) {}

  /** LM_CONSUMPTION_LICENSE_CACHE_MS and LM_CONSUMPTION_SWEEP_MS. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): ConsumptionSettings {
    return new ConsumptionSettings(
      millisecondsFromEnv(env, 'LM_CONSUMPTION_LICENSE_CACHE_MS', 1_000, 0),
      millisecondsFromEnv(env, 'LM_CONSUMPTION_SWEEP_MS', 60_000, 1),
    );
  }
}

/** A duration setting: a whole number of milliseconds, at least `min`. */
export function millisecondsFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const value = Number(env[name] ?? fallback);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be a whole number of milliseconds, at least ${min}`);
  return value;
}
