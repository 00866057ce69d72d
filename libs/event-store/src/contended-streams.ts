import { performance } from 'node:perf_hooks';

/** How long a stream counts as contended after the last sign that another process writes it. */
export const CONTENDED_FOR_MS = 10_000;

/**
 * Streams another process has lately written while this one did, by the monotonic clock (a wall
 * clock set back would keep a stream contended for good). The CommandBatcher decides a contended
 * stream's batches under its lock (EventStore.decideUnderLock), where the replicas take turns,
 * instead of on a state the other replica's appends make stale, which fails its append, reads and
 * decides again. A stream no other process writes is never contended, so a single replica never
 * pays for the lock.
 */
export class ContendedStreams {
  /** By stream, when it was last seen contended; in that order (each sighting moves it last). */
  private readonly lastSeen = new Map<string, number>();

  constructor(
    private readonly windowMs = CONTENDED_FOR_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Another process has written the stream (a version conflict, or its events read under the lock). */
  seen(streamName: string): void {
    const now = this.now();
    this.lastSeen.delete(streamName);
    this.lastSeen.set(streamName, now);
    // The oldest sightings come first: forget those past the window.
    for (const [name, at] of this.lastSeen) {
      if (now - at < this.windowMs) break;
      this.lastSeen.delete(name);
    }
  }

  /** Whether the stream was seen contended within the window. */
  isContended(streamName: string): boolean {
    const at = this.lastSeen.get(streamName);
    return at !== undefined && this.now() - at < this.windowMs;
  }
}
