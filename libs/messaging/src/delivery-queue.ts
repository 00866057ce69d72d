/**
 * What JetStream has delivered and the consumer has not taken yet, in delivery order: the client
 * pushes each message as it arrives, and the consumer takes all it can apply together.
 */
export class DeliveryQueue<T> {
  private readonly items: T[] = [];
  private wake?: () => void;

  push(item: T): void {
    this.items.push(item);
    this.wake?.();
  }

  /**
   * Waits for at least one item (or `release`), then takes up to `max` of them, oldest first.
   * `lingerMs`: with fewer than `max` there, waits that long at most for more to share the take.
   */
  async take(max: number, lingerMs = 0): Promise<T[]> {
    if (this.items.length === 0) await this.arrival();
    if (lingerMs > 0 && this.items.length > 0 && this.items.length < max) {
      const deadline = performance.now() + lingerMs;
      while (this.items.length > 0 && this.items.length < max && performance.now() < deadline) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          this.arrival(),
          new Promise<void>((resolve) => (timer = setTimeout(resolve, deadline - performance.now()))),
        ]);
        clearTimeout(timer);
      }
    }
    this.wake = undefined;
    return this.items.splice(0, max);
  }

  /** Resolves at the next push (or `release`). */
  private arrival(): Promise<void> {
    return new Promise<void>((resolve) => (this.wake = resolve));
  }

  /** Ends a `take` waiting on an empty queue (with nothing taken). */
  release(): void {
    this.wake?.();
  }

  /** Everything still queued. */
  drain(): T[] {
    return this.items.splice(0);
  }
}
