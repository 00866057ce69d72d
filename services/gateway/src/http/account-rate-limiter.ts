import { performance } from 'node:perf_hooks';

export interface AccountRateLimit {
  /** Requests each account may send per second, on average. */
  requestsPerSecond: number;
  /** Requests an account may send at once after a quiet time (the bucket's size). */
  burst: number;
}

/** Says whether an account may have one more request answered now. */
export interface AccountAdmission {
  admit(accountId: string): boolean;
}

/** No limit: every request of every account is taken (LM_RATE_LIMIT_PER_ACCOUNT unset). */
export const EVERY_REQUEST: AccountAdmission = { admit: () => true };

interface Bucket {
  tokens: number;
  /** The clock's reading when `tokens` was last worked out. */
  at: number;
}

/**
 * A token bucket per account: each request takes a token, each account's bucket fills again at its
 * rate up to its burst. One account flooding the gateway empties only its own bucket, so that it is
 * throttled while every other account goes on being served. The buckets are as many as the accounts
 * that called (accounts exist only in the credential store, and a request is admitted only once its
 * signature proves its account), and a bucket full again is forgotten: memory stays bounded.
 */
export class AccountRateLimiter implements AccountAdmission {
  private readonly buckets = new Map<string, Bucket>();
  private lastSweep = -Infinity;

  constructor(
    private readonly limit: AccountRateLimit,
    /** Milliseconds, never going back (a wall clock moved back would hold every bucket empty). */
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(limit.requestsPerSecond > 0 && limit.burst >= 1))
      throw new RangeError(`a rate limit needs a positive rate and a burst of at least 1 (${JSON.stringify(limit)})`);
  }

  admit(accountId: string): boolean {
    const now = this.now();
    this.forgetFullBuckets(now);
    const bucket = this.buckets.get(accountId) ?? { tokens: this.limit.burst, at: now };
    bucket.tokens = this.tokensOf(bucket, now);
    bucket.at = now;
    this.buckets.set(accountId, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** How many accounts the limiter remembers (those whose bucket is not full). */
  get trackedAccounts(): number {
    return this.buckets.size;
  }

  private tokensOf(bucket: Bucket, now: number): number {
    return Math.min(this.limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.limit.requestsPerSecond);
  }

  /**
   * At most once per time a bucket takes to fill: a full bucket is the same as none. The sweep is
   * over every bucket, at most that often, so its cost per request stays constant.
   */
  private forgetFullBuckets(now: number): void {
    const fillMs = (this.limit.burst / this.limit.requestsPerSecond) * 1000;
    if (now - this.lastSweep < fillMs) return;
    this.lastSweep = now;
    for (const [accountId, bucket] of this.buckets) {
      if (this.tokensOf(bucket, now) >= this.limit.burst) this.buckets.delete(accountId);
    }
  }
}

/** The admission a limit asks for: none without one. */
export function accountAdmission(limit: AccountRateLimit | undefined): AccountAdmission {
  return limit ? new AccountRateLimiter(limit) : EVERY_REQUEST;
}
