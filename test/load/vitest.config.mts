import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const lib = (name: string) => resolve(root, `libs/${name}/src/index.ts`);

/**
 * The load suites of `npm run bench`. Files are named *.load.ts so that `npm test` never picks
 * them up; they run one at a time because each measures a machine the others would share.
 */
export default defineConfig({
  root,
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: {
    alias: {
      '@lm/api-model': lib('api-model'),
      '@lm/event-store': lib('event-store'),
      '@lm/inventory': lib('inventory'),
      '@lm/messaging': lib('messaging'),
      '@lm/service-kit': lib('service-kit'),
    },
  },
  test: {
    include: ['test/load/**/*.load.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 600_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
    reporters: ['default'],
  },
});
