import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The parts of V8's .cpuprofile (written by node --cpu-prof) that the summary reads. */
interface CpuProfile {
  /** CLOCK_MONOTONIC in µs, the clock of process.hrtime in every process of the machine. */
  startTime: number;
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
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
}

/**
 * Self time per origin and per function of a --cpu-prof profile within `window` (the load, not
 * the start-up): where a process spends its CPU, which each step of issue 14 is measured against.
 */
export function summarizeProfile(path: string, window: MonotonicWindow, top = 12): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byOrigin = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    const us = profile.timeDeltas[index] ?? 0;
    at += us;
    if (at < window.fromUs || at > window.toUs) return;
    const frame = frames.get(id)!;
    totalUs += us;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      return;
    }
    const origin = originOf(frame.url, frame.functionName);
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + us);
    const name = `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
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
  };
}

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
  ].join('\n');
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
