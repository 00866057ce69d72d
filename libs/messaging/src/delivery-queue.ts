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

  /** Waits for at least one item (or `release`), then takes up to `max` of them, oldest first. */
  async take(max: number): Promise<T[]> {
    if (this.items.length === 0) await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = undefined;
    return this.items.splice(0, max);
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
