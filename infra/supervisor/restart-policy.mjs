/**
 * When a process that died is started again: after 1 s (`firstDelayMs`; LM_RESTART_FIRST_DELAY_MS
 * for npm start), then 2 s, 4 s... doubling with each restart of the last minute, and not at all
 * once it has been restarted `maxRestarts` times in that minute. A process that keeps dying is broken, not unlucky: restarting it faster or forever
 * only hides that from whoever watches the supervisor.
 */
export class RestartPolicy {
  /** @type {number[]} when each restart of the window was decided (ms since the epoch) */
  #restarts = [];

  constructor({ maxRestarts = 5, windowMs = 60_000, firstDelayMs = 1_000 } = {}) {
    this.maxRestarts = maxRestarts;
    this.windowMs = windowMs;
    this.firstDelayMs = firstDelayMs;
  }

  /** The delay before the next restart, or undefined when the process has used up its restarts. */
  nextDelay(now = Date.now()) {
    this.#restarts = this.#restarts.filter((at) => now - at < this.windowMs);
    if (this.#restarts.length >= this.maxRestarts) return undefined;
    const delay = this.firstDelayMs * 2 ** this.#restarts.length;
    this.#restarts.push(now);
    return delay;
  }

  /** How many restarts the window counts now (for the supervisor's messages). */
  get recentRestarts() {
    return this.#restarts.length;
  }
}
