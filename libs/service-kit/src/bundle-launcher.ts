import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/**
 * Runs a service's bundle (one CommonJS file, infra/build/bundle-services.mjs) with V8's code
 * cache: compiling the bundle's ~7 MB is most of what is left of a boot once the module loader's
 * thousands of look-ups are gone, and Node 20 has no compile cache of its own
 * (module.enableCompileCache came with Node 22).
 *
 * The cache lies next to the bundle, named after a hash of the bundle's content: V8 checks only
 * its own version, flags and the source's length, and a bundle rebuilt while a process of the
 * previous one still runs (and then writes its cache) must not find that cache. It is written
 * after start-up (or at exit, if sooner), when V8 has compiled the functions a boot runs, if there
 * was none or V8 rejected it. It is an optimisation only: a cache that cannot be read or written
 * (a read-only image) just means compiling as without one.
 *
 * Node 20 applies --enable-source-maps to files its module loader compiled, not to a vm.Script:
 * stack traces name the bundle's lines (services/<name>/dist/bundle/service.js, whose .map leads
 * back to the TypeScript).
 */
export function runBundle(bundleFile: string, built: BuiltFrom): void {
  if (isOlderThanItsInputs(bundleFile, built.compilations)) {
    createRequire(built.unbundled)(built.unbundled);
    return;
  }
  const source = readFileSync(bundleFile);
  const cacheFile = `${bundleFile}.${createHash('sha256').update(source).digest('hex').slice(0, 16)}.cache`;
  const cachedData = readCache(cacheFile);
  const script = new Script(Module.wrap(source.toString('utf8')), { filename: bundleFile, cachedData });

  // What the module loader would hand the file: its own module, and a require that resolves from its place.
  const bundle = new Module(bundleFile);
  bundle.filename = bundleFile;
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(bundle.exports, bundle.exports, createRequire(bundleFile), bundle, bundleFile, dirname(bundleFile));
  bundle.loaded = true;

  if (cachedData === undefined || script.cachedDataRejected) {
    let written = false;
    const writeOnce = () => {
      if (!written) writeCache(cacheFile, script);
      written = true;
    };
    setTimeout(writeOnce, CACHE_AFTER_MS).unref();
    process.once('exit', writeOnce);
  }
}

/** What a bundle was made of, and what runs instead of a bundle older than that. */
export interface BuiltFrom {
  /** The tsbuildinfo files of the tsc projects the bundle holds: tsc rewrites them when it rebuilds one. */
  compilations: string[];
  /** tsc's output for the service (dist/main.js). */
  unbundled: string;
}

/**
 * `npx tsc -b services/<name>` rebuilds tsc's output, not the bundle (`npm run build` does both):
 * a bundle older than one of its projects' compilations would run yesterday's code, so tsc's
 * output runs instead, slower to boot but current.
 */
function isOlderThanItsInputs(bundleFile: string, compilations: string[]): boolean {
  const bundled = statSync(bundleFile).mtimeMs;
  return compilations.some((file) => (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0) > bundled);
}

/** Time enough for a service to start (connect, migrate, subscribe) on a loaded machine. */
const CACHE_AFTER_MS = 10_000;

function readCache(cacheFile: string): Buffer | undefined {
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

/** Through a temporary file and a rename, so that a process starting meanwhile never reads half of it. */
function writeCache(cacheFile: string, script: Script): void {
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, script.createCachedData());
    renameSync(temporary, cacheFile);
  } catch {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Nothing was written there either.
    }
  }
}
