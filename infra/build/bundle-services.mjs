// Bundles each of services/*/dist/main.js (tsc's output) into one CommonJS file,
// services/<name>/dist/bundle/service.js, started by services/<name>/dist/bundle/main.js through
// libs/service-kit's bundle launcher (V8's code cache). Why: a boot spent two thirds of its CPU in
// Node's module loader, resolving, reading and compiling ~1,400 files of Nest, Kysely, RxJS, NATS...
// Run by `npm run build` after `tsc -b`.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';
import { rewriteObjectSpreads, SPREAD_HELPER } from './object-spread.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const launcher = join(root, 'libs/service-kit/dist/bundle-launcher.js');
const services = readdirSync(join(root, 'services')).filter((name) => existsSync(serviceEntry(name)));
/** The libraries' tsc projects, any of which a service may hold. */
const libraries = readdirSync(join(root, 'libs')).map((name) => join(root, 'libs', name));

function serviceEntry(name) {
  return join(root, 'services', name, 'dist/main.js');
}

/**
 * Nest requires its optional companions (websockets, class-validator, kafkajs, ioredis, ...)
 * lazily, where a feature asks for them; those not installed stay require() calls in the bundle,
 * which fail, if ever reached, as they would have without it.
 */
function notInstalled(id, importer) {
  if (id.startsWith('.') || id.startsWith('/') || id.startsWith('node:') || importer === undefined) return false;
  try {
    createRequire(importer).resolve(id);
    return false;
  } catch {
    return true;
  }
}

/** tsc's source maps of our own packages, so that the bundle's map leads back to the TypeScript. */
const tscSourceMaps = {
  name: 'tsc-source-maps',
  load(id) {
    if (id.includes('/node_modules/') || !id.endsWith('.js') || !existsSync(`${id}.map`)) return null;
    return { code: readFileSync(id, 'utf8'), map: readFileSync(`${id}.map`, 'utf8') };
  },
};

/** Object literals that go on after a spread, as calls of one helper (object-spread.mjs says why). */
const fastObjectSpreads = {
  name: 'fast-object-spreads',
  transform(code, id) {
    return /\.[cm]?js$/.test(id) ? rewriteObjectSpreads(code, id) : null;
  },
};

async function bundle(name) {
  const directory = join(root, 'services', name, 'dist/bundle');
  mkdirSync(directory, { recursive: true });
  await build({
    input: serviceEntry(name),
    cwd: root,
    platform: 'node',
    external: notInstalled,
    plugins: [tscSourceMaps, fastObjectSpreads],
    // Any warning but the optional packages above is a bundle that may not run like tsc's output.
    onwarn(warning) {
      throw new Error(`bundling ${name}: ${warning.message}`);
    },
    output: {
      file: join(directory, 'service.js'),
      format: 'cjs',
      codeSplitting: false,
      sourcemap: true,
      intro: SPREAD_HELPER,
    },
  });
  // The launcher's code caches of earlier bundles (named after their content): never read again.
  for (const file of readdirSync(directory))
    if (file.endsWith('.cache')) rmSync(join(directory, file), { force: true });
  // The stub paths are relative to the bundle's directory, so that the tree can move (the image's /app).
  const fromBundle = (path) => relative(directory, path);
  const compilations = [join(root, 'services', name), ...libraries].map((project) =>
    fromBundle(join(project, 'tsconfig.tsbuildinfo')),
  );
  writeFileSync(
    join(directory, 'main.js'),
    `// Written by infra/build/bundle-services.mjs: runs service.js, the ${name} service in one file.\n` +
      `const { join } = require('node:path');\n` +
      `require(${JSON.stringify(fromBundle(launcher))}).runBundle(join(__dirname, 'service.js'), {\n` +
      `  compilations: ${JSON.stringify(compilations)}.map((file) => join(__dirname, file)),\n` +
      `  unbundled: join(__dirname, '../main.js'),\n` +
      `});\n`,
  );
}

for (const name of services) await bundle(name);
