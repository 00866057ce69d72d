import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';
import suite from '../../vitest.config.mts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The chaos suite (docs/reliability.md): the plugins, aliases, servers (global setup) and NATS
 * namespaces of the end-to-end suites, with its own files. `npm run test:chaos` runs it whole
 * (LM_CHAOS=full); `npm test` runs its reduced form. One file at a time: the fault and flood parts
 * to come measure a system that another beside it would disturb.
 */
export default mergeConfig(
  { ...suite, test: { ...suite.test, projects: undefined, include: [] } },
  defineConfig({
    root,
    test: {
      include: ['test/chaos/**/*.test.ts'],
      globalSetup: ['test/support/global-setup.ts'],
      setupFiles: ['test/support/nats-namespace-per-file.ts'],
      fileParallelism: false,
      testTimeout: 300_000,
      hookTimeout: 180_000,
    },
  }),
);
