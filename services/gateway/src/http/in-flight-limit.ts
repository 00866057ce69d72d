/**
 * How many requests the gateway works on at once, whoever sends them: a request over the bound is
 * answered at once (throttled) without its body being read, so that the memory of requests in
 * flight (each at most LM_MAX_BODY_BYTES of body) stays bounded whatever the number of clients.
 */
export class InFlightLimit {
  private count = 0;

  constructor(readonly max: number) {}

  /** Takes a place for a request; false when every place is taken. */
  tryEnter(): boolean {
    if (this.count >= this.max) return false;
    this.count += 1;
    return true;
  }

  /** Gives back the place of a request that tryEnter admitted, once it is answered. */
  leave(): void {
    this.count -= 1;
  }

  get inFlight(): number {
    return this.count;
  }
}
