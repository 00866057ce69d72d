/** How deliveries to an endpoint that fails are tried again. */
export interface DeliveryPolicy {
  /** Attempts in all (the first included) before a delivery is given up as FAILED. */
  maxAttempts: number;
  /** The pause after the first failed attempt; each next pause doubles it... */
  baseDelayMs: number;
  /** ...up to this. */
  maxDelayMs: number;
}

/** What follows a failed attempt `attempt` (1 for the first): a retry at `at`, or giving up. */
export function afterFailedAttempt(
  policy: DeliveryPolicy,
  attempt: number,
  now: Date,
): { retry: true; at: Date } | { retry: false } {
  if (attempt >= policy.maxAttempts) return { retry: false };
  const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return { retry: true, at: new Date(now.getTime() + delay) };
}

/** An endpoint's answer counts as delivered on any 2xx, as SNS counts it. */
export const isDelivered = (status: number) => status >= 200 && status < 300;
