import { defineConfig, mergeConfig } from 'vitest/config';
import load from './vitest.config.mts';

/**
 * `npm run soak`: the steady-memory soak (mixed.soak.ts, LM_SOAK_MINUTES long, 10 by default), not
 * part of `npm test` nor of `npm run bench`. mergeConfig would add to the load suites' files; this
 * replaces them, and gives the soak's one test the time of its run.
 */
const minutes = Number(process.env.LM_SOAK_MINUTES ?? 10);

export default mergeConfig(
  { ...load, test: { ...load.test, include: [] } },
  defineConfig({
    test: {
      include: ['test/load/**/*.soak.ts'],
      testTimeout: (minutes + 10) * 60_000,
      // Node 20's WebSocket, through which the soak asks each process's inspector for its heap.
      execArgv: ['--experimental-websocket'],
    },
  }),
);
