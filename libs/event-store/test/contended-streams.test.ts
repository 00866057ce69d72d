import { describe, expect, it } from 'vitest';
import { ContendedStreams } from '../src/contended-streams';

describe('ContendedStreams', () => {
  /** A clock the test moves. */
  const clock = () => {
    let now = 1_000;
    return { now: () => now, pass: (ms: number) => (now += ms) };
  };

  it('holds a stream contended for the window after it was last seen so, and no longer', () => {
    const time = clock();
    const contended = new ContendedStreams(10_000, time.now);
    expect(contended.isContended('usage-1')).toBe(false);
    contended.seen('usage-1');
    time.pass(9_999);
    expect(contended.isContended('usage-1')).toBe(true);
    // Seen again: the window runs from now.
    contended.seen('usage-1');
    time.pass(9_999);
    expect(contended.isContended('usage-1')).toBe(true);
    time.pass(1);
    expect(contended.isContended('usage-1')).toBe(false);
    expect(contended.isContended('usage-2')).toBe(false);
  });

  it('forgets the streams whose window has passed when another is seen', () => {
    const time = clock();
    const contended = new ContendedStreams(10_000, time.now);
    contended.seen('usage-1');
    time.pass(5_000);
    contended.seen('usage-2');
    time.pass(5_000);
    contended.seen('usage-3');
    expect((contended as unknown as { lastSeen: Map<string, number> }).lastSeen.size).toBe(2);
    expect([contended.isContended('usage-1'), contended.isContended('usage-2')]).toEqual([false, true]);
  });
});
