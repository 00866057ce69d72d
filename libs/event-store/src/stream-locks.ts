/**
 * In-process locks by stream name. Commands on one aggregate are run one after another within a
 * process, so that they do not fail each other's optimistic concurrency check and retry in a
 * storm; between processes (replicas) the expected-version check still orders them.
 */
export class StreamLocks {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `work` holding the locks of every stream named (taken in name order: no deadlock). */
  async withLocks<T>(streamNames: readonly string[], work: () => Promise<T>): Promise<T> {
    const names = [...new Set(streamNames)].sort();
    const releases: (() => void)[] = [];
    try {
      for (const name of names) releases.push(await this.acquire(name));
      return await work();
    } finally {
      for (const release of releases.reverse()) release();
    }
  }

  private async acquire(name: string): Promise<() => void> {
    const previous = this.tails.get(name) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => current);
    this.tails.set(name, tail);
    await previous;
    return () => {
      release();
      // The last holder leaves no entry behind.
      if (this.tails.get(name) === tail) this.tails.delete(name);
    };
  }
}

/** One set of locks per process: every command handler of the process shares it. */
export const processStreamLocks = new StreamLocks();
