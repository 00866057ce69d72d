import { Logger } from '@nestjs/common';
import type { InventorySweep } from '../application/inventory-sweep';

const logger = new Logger('InventorySweep');

/**
 * Runs the inactivity sweep now (a service that was down catches up at once) and then every
 * `intervalMs` after the previous run ends, so that runs never overlap. A failed run is logged
 * and the next one tries again.
 */
export function scheduleSweep(sweep: InventorySweep, intervalMs: number): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const run = async () => {
    try {
      const inactivated = await sweep.sweep();
      if (inactivated > 0) logger.log(`${inactivated} resource(s) not reported for 30 days are now inactive`);
    } catch (error) {
      logger.error(`sweep failed: ${(error as Error).message}`);
    } finally {
      if (!stopped) timer = setTimeout(() => (running = run()), intervalMs);
    }
  };
  running = run();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
