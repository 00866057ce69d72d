import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startSchedule } from '../src/scheduler';

/** A run that ends only when the test says so. */
function controllableRun() {
  const ends: (() => void)[] = [];
  let started = 0;
  let inProgress = 0;
  let mostAtOnce = 0;
  const run = () => {
    started++;
    inProgress++;
    mostAtOnce = Math.max(mostAtOnce, inProgress);
    return new Promise<void>((resolve) =>
      ends.push(() => {
        inProgress--;
        resolve();
      }),
    );
  };
  return {
    run,
    endCurrent: () => ends.shift()!(),
    get started() {
      return started;
    },
    get mostAtOnce() {
      return mostAtOnce;
    },
  };
}

const logger = () => ({ error: vi.fn<(message: string) => void>() });

describe('a schedule', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs at once, then the interval after each run ends, never two runs at once', async () => {
    const task = controllableRun();
    const schedule = startSchedule('sweep', 1_000, task.run, logger());
    expect(task.started).toBe(1);
    await vi.advanceTimersByTimeAsync(5_000); // the first run is still going: nothing else starts
    expect(task.started).toBe(1);
    task.endCurrent();
    await vi.advanceTimersByTimeAsync(999);
    expect(task.started).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(task.started).toBe(2);
    task.endCurrent();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(task.started).toBe(3);
    expect(task.mostAtOnce).toBe(1);
    task.endCurrent();
    await schedule.stop();
  });

  it('logs a failed run and tries again after the interval', async () => {
    const log = logger();
    let calls = 0;
    const schedule = startSchedule(
      'sweep',
      1_000,
      async () => {
        calls++;
        if (calls === 1) throw new Error('database unreachable');
      },
      log,
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(log.error).toHaveBeenCalledWith('sweep failed: database unreachable');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toBe(2);
    await schedule.stop();
  });

  it('stop waits for the run in progress and starts no other', async () => {
    const task = controllableRun();
    const schedule = startSchedule('sweep', 1_000, task.run, logger());
    let stopped = false;
    const stopping = schedule.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(10);
    expect(stopped).toBe(false);
    task.endCurrent();
    await stopping;
    expect(stopped).toBe(true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(task.started).toBe(1);
  });

  it('stop between runs cancels the next one', async () => {
    const task = controllableRun();
    const schedule = startSchedule('sweep', 1_000, task.run, logger());
    task.endCurrent();
    await vi.advanceTimersByTimeAsync(500);
    await schedule.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(task.started).toBe(1);
  });
});
