import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const root = dirname(fileURLToPath(import.meta.url));
const lib = (name: string) => resolve(root, `libs/${name}/src/index.ts`);

/** The whole suite of `npm test`: unit, contract and end-to-end tests. Load suites live in test/load. */
export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: {
    alias: {
      '@lm/api-model': lib('api-model'),
      '@lm/event-store': lib('event-store'),
      '@lm/contracts': lib('contracts'),
      '@lm/license-token': lib('license-token'),
      '@lm/messaging': lib('messaging'),
      '@lm/service-kit': lib('service-kit'),
    },
  },
  test: {
    include: ['libs/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts', 'test/e2e/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // End-to-end suites each start a whole system on the shared NATS server, where services
    // answer by subject: two systems at once would answer each other's requests.
    fileParallelism: false,
    reporters: ['default'],
  },
});
