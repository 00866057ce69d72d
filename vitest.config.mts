import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const root = dirname(fileURLToPath(import.meta.url));
const lib = (name: string) => resolve(root, `libs/${name}/src/index.ts`);

/** Tests that need PostgreSQL or NATS are named *.integration.test.ts; the rest are pure. */
const INTEGRATION = '**/*.integration.test.ts';
const PACKAGE_TESTS = ['libs/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts'];
/** The web console's own tests (components in happy-dom, which a file asks for in its first line). */
const CONSOLE_TESTS = ['apps/*/test/**/*.test.{ts,tsx}'];

/**
 * End-to-end files that run alone, once the others are done. The PostgreSQL event store reads up to
 * the server's oldest open transaction, and that horizon is the whole server's, whatever database:
 * these event-store files hold transactions open, or assert what a read returns at once. Besides
 * them, what runs `npm start`: in a network namespace, with a test run inside it (fresh-machine),
 * and the supervisor, whose stop and restart deadlines are measured; what measures its own time:
 * start-up given up within its bound (startup-errors), a gatherer's answer times, Linux instances
 * classified within seconds of their report (linux-subscriptions-instances); and the crash
 * test (kill -9 of licensing), whose clients keep a load going across the kill and the restart:
 * another system beside it would starve that load on two cores. The crash tests of the other
 * services are the chaos suite's (test/chaos/crashes, npm run test:chaos).
 */
const ALONE = [
  'libs/event-store/test/postgres-event-store.integration.test.ts',
  'libs/event-store/test/projections.integration.test.ts',
  'libs/event-store/test/upcasting.integration.test.ts',
  // Grants' tests that read the whole store at once (readAll) and expect what was just appended.
  'services/grants/test/license-expiry.integration.test.ts',
  'services/grants/test/license-access.integration.test.ts',
  'services/grants/test/grant-distribution.integration.test.ts',
  // A standby's append read by the holder at once after its wake: another file's open transaction
  // holds readAll back, and the next poll, which would find it, is seconds away in that test.
  'libs/service-kit/test/leased-subscriptions.integration.test.ts',
  'test/e2e/fresh-machine.test.ts',
  'test/e2e/supervisor.test.ts',
  'test/e2e/startup-errors.test.ts',
  'test/e2e/linux-subscriptions-instances.test.ts',
  'test/e2e/crash-recovery.test.ts',
  'services/gateway/test/observability/replica-metrics.integration.test.ts',
];

/** End-to-end files run at once (the e2e project); see there why two by default. */
const E2E_WORKERS = Number(process.env.LM_E2E_WORKERS ?? 2);

/** What every end-to-end file needs: the servers (global setup) and NATS subjects of its own. */
const E2E_SETUP = {
  globalSetup: ['test/support/global-setup.ts'],
  setupFiles: ['test/support/nats-namespace-per-file.ts'],
};

/**
 * The suite of `npm test`: `unit` (npm run test:unit) needs nothing but Node; `e2e` and `e2e-alone`
 * (npm run test:e2e) hold the integration tests on PostgreSQL and NATS and the end-to-end suites
 * that start the whole system, two files at a time and then the few that must run alone. Load
 * suites live in test/load.
 */
export default defineConfig({
  // The packages' files take their tsconfig's target; test/ has no tsconfig, and swc's own default
  // (ES5) turned its async functions into generator machines and its spreads into helper calls:
  // the load client's CPU per request, on the cores the system it measures runs on. Both as the
  // packages' tsconfig.base.json says.
  plugins: [
    swc.vite({ module: { type: 'es6' }, jsc: { target: 'es2022', transform: { useDefineForClassFields: false } } }),
  ],
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
          // test/deployment checks the manifests of infra/ against every service's configuration,
          // test/build what the build of the bundles does to their code.
          include: [...PACKAGE_TESTS, ...CONSOLE_TESTS, 'test/deployment/**/*.test.ts', 'test/build/**/*.test.ts'],
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
          exclude: [...ALONE, '**/node_modules/**', '**/dist/**'],
          ...E2E_SETUP,
          // Two files at once: each system of startSystem has its own database and its own NATS
          // namespace (subjects, JetStream streams and their consumers), and every other file its own
          // database or schema and (E2E_SETUP) its own namespace. Much of a file's time is waiting
          // (alarm periods, sweeps, events settling), which the other file's work fills. The AWS CLI
          // runs resident in each file (test/support/aws-cli.ts), not a Python process per call, which
          // is what pushed CLI suites past their timeouts when two ran side by side on two cores; the
          // crash test runs alone (ALONE). LM_E2E_WORKERS=1 runs one at a time, more on a bigger machine.
          fileParallelism: E2E_WORKERS > 1,
          maxWorkers: E2E_WORKERS,
          // After the unit tests when run together (projects of one group order share maxWorkers).
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e-alone',
          include: ALONE,
          ...E2E_SETUP,
          // One file at a time, after every parallel group: nothing else runs beside them.
          fileParallelism: false,
        },
      },
    ],
  },
});
