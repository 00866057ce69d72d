import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The parts of V8's .cpuprofile (written by node --cpu-prof) that the summary reads. */
interface CpuProfile {
  /** CLOCK_MONOTONIC in µs, the clock of process.hrtime in every process of the machine. */
  startTime: number;
  nodes: { id: number; callFrame: CallFrame; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a sampled function is: its lines and columns count from 0, as V8 writes them. */
interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

export interface ProfileSummary {
  /** Sampled time of the whole profile, idle included, in ms. */
  totalMs: number;
  /** Sampled time when the process was not idle, in ms. */
  busyMs: number;
  /** Self time by where the code comes from (a package, one of our libraries or services, Node's internals, GC). */
  byOrigin: { origin: string; ms: number }[];
  /** Self time of the busiest functions. */
  byFunction: { name: string; ms: number }[];
  /** Time in our own functions (libs/, services/) with everything they call: which of our steps costs what. */
  ourInclusive: { name: string; ms: number }[];
}

/**
 * Self time per origin and per function of a --cpu-prof profile within `window` (the load, not
 * the start-up), and the time of our own functions with what they call: where a process spends
 * its CPU, which each step of issue 14 is measured against. Frames of a service's bundle
 * (services/<name>/dist/bundle/service.js, one file) are traced back through its source map to the
 * package or TypeScript file they came from.
 */
export function summarizeProfile(path: string, window: MonotonicWindow, top = 12): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const located = new Map(profile.nodes.map((node) => [node.id, locate(node.callFrame)]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const byOrigin = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const ourInclusive = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    const us = profile.timeDeltas[index] ?? 0;
    at += us;
    if (at < window.fromUs || at > window.toUs) return;
    const frame = located.get(id)!;
    totalUs += us;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      return;
    }
    add(byOrigin, frame.origin, us);
    add(byFunction, frame.name, us);
    // Each of our functions on the sample's stack once (a recursive one is not counted twice).
    const seen = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parents.get(node)) {
      const caller = located.get(node)!;
      if (caller.ours && !seen.has(caller.name)) {
        seen.add(caller.name);
        add(ourInclusive, caller.name, us);
      }
    }
  });
  const ranked = (totals: Map<string, number>) =>
    [...totals]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([key, us]) => [key, us / 1_000] as const);
  return {
    totalMs: totalUs / 1_000,
    busyMs: (totalUs - idleUs) / 1_000,
    byOrigin: ranked(byOrigin).map(([origin, ms]) => ({ origin, ms })),
    byFunction: ranked(byFunction).map(([name, ms]) => ({ name, ms })),
    ourInclusive: ranked(ourInclusive).map(([name, ms]) => ({ name, ms })),
  };
}

const add = (totals: Map<string, number>, key: string, us: number) => totals.set(key, (totals.get(key) ?? 0) + us);

/** A time span on CLOCK_MONOTONIC in µs (process.hrtime.bigint() / 1000n), which every process of a machine shares. */
export interface MonotonicWindow {
  fromUs: number;
  toUs: number;
}

export const monotonicNowUs = () => Number(process.hrtime.bigint() / 1_000n);

/** The profiles node --cpu-prof wrote into `dir` for process `pid` (CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile). */
export function profilesOf(dir: string, pid: number): string[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.cpuprofile') && file.split('.')[3] === String(pid))
    .map((file) => join(dir, file));
}

export function formatProfileSummary(title: string, summary: ProfileSummary): string {
  const share = (ms: number) => `${((ms / summary.busyMs) * 100).toFixed(1).padStart(5)}%`;
  return [
    `${title}: busy ${(summary.busyMs / 1_000).toFixed(1)} s of ${(summary.totalMs / 1_000).toFixed(1)} s sampled`,
    '  by origin (self time):',
    ...summary.byOrigin.map(({ origin, ms }) => `    ${share(ms)}  ${origin}`),
    '  busiest functions (self time):',
    ...summary.byFunction.map(({ name, ms }) => `    ${share(ms)}  ${name}`),
    '  our busiest functions (with what they call):',
    ...summary.ourInclusive.map(({ name, ms }) => `    ${share(ms)}  ${name}`),
  ].join('\n');
}

/** A sampled function as the summary names it: by its original file when a source map knows it. */
interface LocatedFrame {
  functionName: string;
  name: string;
  origin: string;
  /** In one of our libraries or services (not a package, nor Node's). */
  ours: boolean;
}

function locate(frame: CallFrame): LocatedFrame {
  const original = sourceMapOf(frame.url)?.findEntry(frame.lineNumber, frame.columnNumber);
  const { url, line } =
    original && 'originalSource' in original
      ? { url: original.originalSource, line: original.originalLine }
      : { url: frame.url, line: frame.lineNumber };
  const origin = originOf(url, frame.functionName);
  return {
    functionName: frame.functionName,
    name: `${frame.functionName || '(anonymous)'} ${shortUrl(url)}:${line + 1}`,
    origin,
    ours: /^(libs|services|apps)\//.test(origin),
  };
}

const sourceMaps = new Map<string, SourceMap | undefined>();

/** The source map of a bundle (a `.js` beside its `.js.map`), read once per file. */
function sourceMapOf(url: string): SourceMap | undefined {
  if (!url.endsWith('/dist/bundle/service.js')) return undefined;
  if (!sourceMaps.has(url)) {
    const file = url.startsWith('file://') ? fileURLToPath(url) : url;
    const mapFile = `${file}.map`;
    sourceMaps.set(url, existsSync(mapFile) ? new SourceMap(withAbsoluteSources(mapFile)) : undefined);
  }
  return sourceMaps.get(url);
}

/** The map's payload with its sources as absolute paths, so that their origin reads as any other file's. */
function withAbsoluteSources(mapFile: string): SourceMapPayload {
  const payload = JSON.parse(readFileSync(mapFile, 'utf8')) as SourceMapPayload;
  const root = resolve(dirname(mapFile), payload.sourceRoot || '');
  return { ...payload, sourceRoot: '', sources: payload.sources.map((source) => resolve(root, source)) };
}

function originOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1];
  const ours = /\/((?:libs|services|apps)\/[^/]+)\//.exec(url);
  return ours ? ours[1] : shortUrl(url);
}

function shortUrl(url: string): string {
  return url.replace(/^file:\/\//, '').replace(/^.*?\/(node_modules|libs|services|apps|test)\//, '$1/');
}
