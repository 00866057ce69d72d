import { describe, expect, it } from 'vitest';
import { StreamLocks } from '../src/stream-locks';

describe('StreamLocks', () => {
  it('runs work on one stream one at a time, in arrival order', async () => {
    const locks = new StreamLocks();
    const log: string[] = [];
    let inside = 0;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        locks.withLocks(['a'], async () => {
          inside++;
          expect(inside).toBe(1);
          log.push(`start ${i}`);
          await new Promise((r) => setTimeout(r, 1));
          log.push(`end ${i}`);
          inside--;
        }),
      ),
    );
    expect(log).toEqual(Array.from({ length: 20 }, (_, i) => [`start ${i}`, `end ${i}`]).flat());
  });

  it('never deadlocks on overlapping sets taken in different orders, and releases after a failure', async () => {
    const locks = new StreamLocks();
    let done = 0;
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        locks
          .withLocks(i % 2 ? ['a', 'b', 'c'] : ['c', 'b'], async () => {
            await new Promise((r) => setTimeout(r, 1));
            if (i % 7 === 0) throw new Error('failed decision');
            done++;
          })
          .catch(() => undefined),
      ),
    );
    expect(done).toBe(50 - Math.ceil(50 / 7));
    // Streams not held by anyone run at once.
    await expect(locks.withLocks(['a', 'b', 'c'], async () => 'free')).resolves.toBe('free');
  });
});
