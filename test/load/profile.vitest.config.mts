import { defineConfig, mergeConfig } from 'vitest/config';
import load from './vitest.config.mts';

/**
 * `npm run bench:profile`: the hot paths once more with every process under node --cpu-prof
 * (hot-paths.profile.ts). mergeConfig would add to the load suites' files; this replaces them.
 */
export default mergeConfig(
  { ...load, test: { ...load.test, include: [] } },
  defineConfig({ test: { include: ['test/load/**/*.profile.ts'] } }),
);
