import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const root = dirname(fileURLToPath(import.meta.url));
const lib = (name: string) => resolve(root, `libs/${name}/src/index.ts`);

/** Tests that need PostgreSQL or NATS are named *.integration.test.ts; the rest are pure. */
const INTEGRATION = '**/*.integration.test.ts';
const PACKAGE_TESTS = ['libs/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts'];

/**
 * The suite of `npm test`, as two projects: `unit` (npm run test:unit) needs nothing but Node;
 * `e2e` (npm run test:e2e) holds the integration tests on PostgreSQL and NATS and the end-to-end
 * suites that start the whole system. Load suites live in test/load.
 */
export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: {
    alias: {
      '@lm/api-model': lib('api-model'),
      '@lm/contracts': lib('contracts'),
      '@lm/event-store': lib('event-store'),
      '@lm/license-token': lib('license-token'),
      '@lm/messaging': lib('messaging'),
      '@lm/service-kit': lib('service-kit'),
    },
  },
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // test/deployment checks the manifests of infra/ against every service's configuration.
          include: [...PACKAGE_TESTS, 'test/deployment/**/*.test.ts'],
          exclude: [INTEGRATION, '**/node_modules/**', '**/dist/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: PACKAGE_TESTS.map((glob) => glob.replace('*.test.ts', '*.integration.test.ts')).concat(
            'test/e2e/**/*.test.ts',
          ),
          globalSetup: ['test/support/global-setup.ts'],
          // End-to-end suites each start a whole system on the shared NATS server, where services
          // answer by subject: two systems at once would answer each other's requests.
          fileParallelism: false,
        },
      },
    ],
  },
});
