import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Node options that make a process write a heap snapshot into `dir` on SIGUSR2. */
export const heapSnapshotNodeArgs = (dir: string): string[] => [
  '--heapsnapshot-signal=SIGUSR2',
  `--diagnostic-dir=${dir}`,
];

/** Node names a snapshot Heap.<date>.<time>.<pid>.<thread>.<seq>.heapsnapshot. */
const snapshotsOf = async (dir: string, pid: number): Promise<string[]> =>
  (await readdir(dir)).filter((file) => file.endsWith('.heapsnapshot') && file.split('.')[3] === String(pid));

/** The file's size once it ends as a snapshot's JSON does, with its closing brace. */
async function completeSize(path: string): Promise<number | undefined> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    if (size === 0) return undefined;
    const { buffer } = await file.read({ buffer: Buffer.alloc(1), position: size - 1 });
    return buffer.toString() === '}' ? size : undefined;
  } finally {
    await file.close();
  }
}

/**
 * Has each process write a heap snapshot (V8 collects garbage first, so it holds only what is
 * retained) and waits until every file has stopped growing. Returns the files by the given names.
 */
export async function writeHeapSnapshots(dir: string, pids: Map<string, number>): Promise<Map<string, string>> {
  const before = new Map(
    await Promise.all([...pids].map(async ([name, pid]) => [name, await snapshotsOf(dir, pid)] as const)),
  );
  for (const pid of pids.values()) process.kill(pid, 'SIGUSR2');
  const written = new Map<string, string>();
  for (const [name, pid] of pids) {
    let file: string | undefined;
    let size = -1;
    for (;;) {
      await sleep(1_000);
      file ??= (await snapshotsOf(dir, pid)).find((candidate) => !before.get(name)!.includes(candidate));
      if (!file) continue;
      const now = await completeSize(join(dir, file));
      if (now !== undefined && now === size) break;
      size = now ?? -1;
    }
    written.set(name, join(dir, file));
  }
  return written;
}
