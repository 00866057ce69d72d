import { mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runBundle as runBundleBuiltFrom } from '../src/bundle-launcher';

/** A bundle that reports what it was run with, as a CommonJS module. */
function writeBundle(directory: string, marker: string): string {
  const file = join(directory, 'service.js');
  writeFileSync(
    file,
    `globalThis.__bundleRun = { marker: ${JSON.stringify(marker)}, dirname: __dirname, filename: __filename,
       ownModule: module.exports === exports, path: typeof require('node:path').join };`,
  );
  return file;
}

/** Its tsc projects compiled before it, as `npm run build` leaves them. */
function runBundle(file: string, compilations: string[] = []): void {
  runBundleBuiltFrom(file, { compilations, unbundled: join(file, '../unbundled.js') });
}

const run = () => (globalThis as { __bundleRun?: Record<string, unknown> }).__bundleRun;
const caches = (directory: string) => readdirSync(directory).filter((file) => file.endsWith('.cache'));

/** A directory of its own, with `files` copied from another: V8 keeps what it compiled by source and place. */
function place(files: Record<string, string | Buffer> = {}): string {
  const directory = mkdtempSync(join(tmpdir(), 'bundle-launcher-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(directory, name), content);
  return directory;
}

describe('runBundle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs the bundle as a module of its place and writes its code cache after start-up, which the next start takes', () => {
    const first = place();
    const file = writeBundle(first, 'first');
    runBundle(file);
    expect(run()).toEqual({ marker: 'first', dirname: first, filename: file, ownModule: true, path: 'function' });
    expect(caches(first)).toEqual([]);
    vi.runAllTimers();
    const [cache] = caches(first);
    expect(cache).toMatch(/^service\.js\.[0-9a-f]{16}\.cache$/);

    const second = place({ [cache]: readFileSync(join(first, cache)) });
    runBundle(writeBundle(second, 'first'));
    expect(run()?.dirname).toBe(second);
    // Accepted: nothing to write.
    expect(vi.getTimerCount()).toBe(0);
  });

  it('replaces a cache V8 rejects, and does not take the cache of another bundle', () => {
    const first = place();
    runBundle(writeBundle(first, 'first'));
    vi.runAllTimers();
    const [cache] = caches(first);

    const second = place({ [cache]: 'not a code cache' });
    runBundle(writeBundle(second, 'first'));
    expect(run()?.dirname).toBe(second);
    vi.runAllTimers();
    expect(readFileSync(join(second, cache), 'utf8')).not.toBe('not a code cache');
    expect(readFileSync(join(second, cache)).length).toBeGreaterThan(100);

    // The same length, other content: a cache of its own.
    const third = place({ [cache]: readFileSync(join(first, cache)) });
    runBundle(writeBundle(third, 'other'));
    expect(run()?.marker).toBe('other');
    vi.runAllTimers();
    expect(caches(third)).toHaveLength(2);
  });

  it('runs the bundle all the same when its cache can be neither read nor written', () => {
    const first = place();
    runBundle(writeBundle(first, 'first'));
    vi.runAllTimers();
    const [cache] = caches(first);
    // A directory where the cache would go: reading it and renaming onto it fail.
    const blocked = place();
    mkdirSync(join(blocked, cache));

    expect(() => runBundle(writeBundle(blocked, 'first'))).not.toThrow();
    expect(run()?.dirname).toBe(blocked);
    expect(() => vi.runAllTimers()).not.toThrow();
    expect(readdirSync(blocked).sort()).toEqual([cache, 'service.js'].sort());
  });

  it("runs tsc's output instead of a bundle older than one of its compilations (tsc -b alone since)", () => {
    const directory = place({ 'unbundled.js': 'globalThis.__bundleRun = { marker: "unbundled" };' });
    const bundle = writeBundle(directory, 'bundled');
    const compilation = join(directory, 'tsconfig.tsbuildinfo');
    writeFileSync(compilation, '{}');
    utimesSync(bundle, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    runBundle(bundle, [compilation, join(directory, 'never-built.tsbuildinfo')]);
    expect(run()?.marker).toBe('unbundled');

    utimesSync(bundle, new Date(), new Date());
    utimesSync(compilation, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    runBundle(bundle, [compilation]);
    expect(run()?.marker).toBe('bundled');
  });
});
