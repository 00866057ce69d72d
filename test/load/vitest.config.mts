import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';
import suite from '../../vitest.config.mts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The load suites of `npm run bench`: the plugins, aliases and global setup of the main suite,
 * with their own files (named *.load.ts, so that `npm test` never picks them up) and time limits.
 * They run one at a time because each measures a machine the others would share.
 */
export default mergeConfig(
  { ...suite, test: { ...suite.test, projects: undefined, include: [] } },
  defineConfig({
    root,
    test: {
      include: ['test/load/**/*.load.ts'],
      globalSetup: ['test/support/global-setup.ts', 'test/load/server-versions.ts'],
      fileParallelism: false,
      testTimeout: 600_000,
      hookTimeout: 180_000,
    },
  }),
);
