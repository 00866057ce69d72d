import { afterEach, describe, expect, it, vi } from 'vitest';
import { DeliveryQueue } from '../src/delivery-queue';

describe('DeliveryQueue', () => {
  afterEach(() => vi.useRealTimers());

  it('takes what is there at once, up to the most asked for, oldest first', async () => {
    const queue = new DeliveryQueue<number>();
    [1, 2, 3].forEach((item) => queue.push(item));
    expect(await queue.take(2)).toEqual([1, 2]);
    expect(await queue.take(2)).toEqual([3]);
  });

  it('waits for the first item when empty', async () => {
    const queue = new DeliveryQueue<number>();
    const taken = queue.take(5);
    queue.push(7);
    expect(await taken).toEqual([7]);
  });

  it('with a linger, waits that long at most for more to share the take, and no longer once it is full', async () => {
    vi.useFakeTimers();
    const queue = new DeliveryQueue<number>();
    queue.push(1);
    let taken: number[] | undefined;
    void queue.take(3, 20).then((items) => (taken = items));
    await vi.advanceTimersByTimeAsync(10);
    queue.push(2);
    await vi.advanceTimersByTimeAsync(5);
    expect(taken).toBeUndefined();
    await vi.advanceTimersByTimeAsync(5);
    expect(taken).toEqual([1, 2]);

    // Full before the linger ends: taken at once.
    queue.push(3);
    let full: number[] | undefined;
    void queue.take(2, 20).then((items) => (full = items));
    await vi.advanceTimersByTimeAsync(1);
    queue.push(4);
    await vi.advanceTimersByTimeAsync(0);
    expect(full).toEqual([3, 4]);
  });

  it('ends a take waiting on an empty queue when released, with nothing taken', async () => {
    const queue = new DeliveryQueue<number>();
    const taken = queue.take(5, 20);
    queue.release();
    expect(await taken).toEqual([]);
  });
});
