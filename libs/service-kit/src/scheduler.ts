/** Where a schedule reports a failed run. */
export interface ScheduleLogger {
  error(message: string): void;
}

export interface RunningSchedule {
  /** No run starts after this; resolves once the run in progress (if any) has ended. */
  stop(): Promise<void>;
}

/**
 * Runs `run` now (a service that was down catches up at once), then every `intervalMs` after the
 * previous run ends, so that runs never overlap and a slow run is never stacked under another.
 * A failed run is logged and the next one tries again.
 */
export function startSchedule(
  name: string,
  intervalMs: number,
  run: () => Promise<unknown>,
  logger: ScheduleLogger,
): RunningSchedule {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const runOnce = async () => {
    try {
      await run();
    } catch (error) {
      logger.error(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      if (!stopped) timer = setTimeout(() => (running = runOnce()), intervalMs);
    }
  };
  running = runOnce();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
