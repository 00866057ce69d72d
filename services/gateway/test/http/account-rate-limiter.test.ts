import { describe, expect, it } from 'vitest';
import { accountAdmission, AccountRateLimiter, EVERY_REQUEST } from '../../src/http/account-rate-limiter';
import { InFlightLimit } from '../../src/http/in-flight-limit';

/** A limiter on a clock the test moves (milliseconds). */
const limiterAt = (requestsPerSecond: number, burst: number) => {
  const clock = { now: 0 };
  return { clock, limiter: new AccountRateLimiter({ requestsPerSecond, burst }, () => clock.now) };
};

const admitted = (limiter: AccountRateLimiter, accountId: string, requests: number) =>
  Array.from({ length: requests }, () => limiter.admit(accountId)).filter(Boolean).length;

describe('AccountRateLimiter', () => {
  it("takes an account's burst at once, then throttles it", () => {
    const { limiter } = limiterAt(10, 20);
    expect(admitted(limiter, 'a', 50)).toBe(20);
    expect(limiter.admit('a')).toBe(false);
  });

  it('fills each bucket again at its rate, never above its burst', () => {
    const { clock, limiter } = limiterAt(10, 20);
    admitted(limiter, 'a', 20);
    clock.now = 500;
    expect(admitted(limiter, 'a', 50)).toBe(5);
    clock.now = 60_000;
    expect(admitted(limiter, 'a', 50)).toBe(20);
  });

  it('keeps a steady sender at its rate over time', () => {
    const { clock, limiter } = limiterAt(100, 100);
    let taken = 0;
    // 10 s of a client asking every millisecond: 100 at once, then 100 a second.
    for (clock.now = 0; clock.now < 10_000; clock.now += 1) taken += limiter.admit('a') ? 1 : 0;
    expect(taken).toBeGreaterThanOrEqual(1_099);
    expect(taken).toBeLessThanOrEqual(1_100);
  });

  it('throttles the account that floods and no other', () => {
    const { clock, limiter } = limiterAt(5, 5);
    let flooderTaken = 0;
    // 2 s of 100 requests every 10 ms: its burst, then 5 a second.
    for (clock.now = 0; clock.now < 2_000; clock.now += 10) flooderTaken += admitted(limiter, 'flooder', 100);
    expect(flooderTaken).toBe(5 + 9);
    expect(admitted(limiter, 'quiet', 10)).toBe(5);
  });

  it('forgets the buckets that are full again, so that it remembers only accounts calling now', () => {
    const { clock, limiter } = limiterAt(10, 10);
    for (let account = 0; account < 1_000; account++) limiter.admit(`account-${account}`);
    expect(limiter.trackedAccounts).toBe(1_000);
    clock.now = 1_000;
    limiter.admit('late');
    expect(limiter.trackedAccounts).toBe(1);
  });

  it('refuses a limit that would throttle everything', () => {
    expect(() => new AccountRateLimiter({ requestsPerSecond: 0, burst: 1 })).toThrow(RangeError);
    expect(() => new AccountRateLimiter({ requestsPerSecond: 1, burst: 0 })).toThrow(RangeError);
  });

  it('admits every request when no limit is set', () => {
    expect(accountAdmission(undefined)).toBe(EVERY_REQUEST);
    expect(Array.from({ length: 10_000 }, () => EVERY_REQUEST.admit('a')).every(Boolean)).toBe(true);
    expect(accountAdmission({ requestsPerSecond: 1, burst: 1 })).toBeInstanceOf(AccountRateLimiter);
  });
});

describe('InFlightLimit', () => {
  it('gives at most its bound of places, and a place again once one is left', () => {
    const limit = new InFlightLimit(3);
    expect([limit.tryEnter(), limit.tryEnter(), limit.tryEnter(), limit.tryEnter()]).toEqual([true, true, true, false]);
    expect(limit.inFlight).toBe(3);
    limit.leave();
    expect(limit.tryEnter()).toBe(true);
    expect(limit.tryEnter()).toBe(false);
  });
});
