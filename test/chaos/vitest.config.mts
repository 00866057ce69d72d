import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';
import suite from '../../vitest.config.mts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** `npm run test:chaos` sets it: every file, each whole. */
const FULL = process.env.LM_CHAOS === 'full';

/**
 * What `npm test` runs of the suite, in its reduced form (LM_CHAOS unset): the hostile input,
 * within a minute. Faults and floods take minutes each and run with `npm run test:chaos` only.
 */
const REDUCED = ['test/chaos/hostile-input.test.ts', 'test/chaos/model-fuzzer.test.ts'];

/**
 * The chaos suite (docs/reliability.md): the plugins, aliases, servers (global setup) and NATS
 * namespaces of the end-to-end suites, with its own files. One file at a time: the fault and flood
 * parts measure a system that another beside it would disturb.
 */
export default mergeConfig(
  { ...suite, test: { ...suite.test, projects: undefined, include: [] } },
  defineConfig({
    root,
    test: {
      include: FULL ? ['test/chaos/**/*.test.ts'] : REDUCED,
      globalSetup: ['test/support/global-setup.ts'],
      setupFiles: ['test/support/nats-namespace-per-file.ts'],
      fileParallelism: false,
      testTimeout: 300_000,
      hookTimeout: 180_000,
    },
  }),
);
