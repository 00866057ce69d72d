import { createInbox, type Msg, type MsgHdrs, type NatsConnection, type Subscription } from 'nats';

/** Nothing subscribes to the subject: no instance of the service that owns it, no stream that binds it. */
export class NoRespondersError extends Error {
  constructor(readonly subject: string) {
    super(`nothing answers ${subject} (no responders)`);
  }
}

/** No reply came in time, or the connection closed before one came. */
export class OperationTimeoutError extends Error {
  constructor(readonly subject: string) {
    super(`${subject} did not answer in time`);
  }
}

/** A request waiting for its reply on the inbox. */
interface PendingRequest {
  subject: string;
  resolve(reply: Msg): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * Requests whose replies come to one subscription of its own (`<inbox>.<token>`), as nats.js'
 * own muxed requests do, but without their per-request cost: nats.js settles each request it has
 * answered by rejecting it once more as cancelled, a NatsError with its stack trace built for
 * nothing (about 2% of the gateway's CPU, 3% of a service's on its relay's JetStream publishes),
 * behind a Promise.race with a timer promise.
 */
export class ReplyInbox {
  private readonly pending = new Map<string, PendingRequest>();
  private subscription?: Subscription;
  private inbox?: string;
  private nextToken = 0;

  constructor(
    private readonly nc: NatsConnection,
    private readonly timeoutMs: number,
  ) {}

  /**
   * The first reply to `data` on `subject`: NoRespondersError at once when nothing subscribes to
   * it, OperationTimeoutError after the timeout, and what nats.js throws when it cannot send
   * (a closed connection, an invalid subject).
   */
  request(subject: string, data: Uint8Array, headers?: MsgHdrs): Promise<Msg> {
    return new Promise<Msg>((resolve, reject) => {
      const inbox = (this.inbox ??= this.subscribeReplies());
      const token = (this.nextToken++).toString(36);
      const timer = setTimeout(() => this.settle(token)?.reject(new OperationTimeoutError(subject)), this.timeoutMs);
      this.pending.set(token, { subject, resolve, reject, timer });
      try {
        this.nc.publish(subject, data, { reply: `${inbox}${token}`, headers });
      } catch (error) {
        this.settle(token);
        reject(error as Error);
      }
    });
  }

  /** Stops listening for replies: the requests still waiting fail as not answered in time. */
  close(): void {
    this.subscription?.unsubscribe();
  }

  /** The inbox prefix of the replies, subscribed once for all requests until it closes. */
  private subscribeReplies(): string {
    const inbox = `${createInbox()}.`;
    const subscription = this.nc.subscribe(`${inbox}*`, {
      callback: (error, msg) => {
        if (error) {
          for (const token of [...this.pending.keys()]) this.settle(token)?.reject(error);
          return;
        }
        const request = this.settle(msg.subject.slice(inbox.length));
        if (!request) return; // Answered after its timeout.
        // What the NATS server sends when nothing subscribes to the subject: no data, status 503.
        if (msg.data.length === 0 && msg.headers?.code === 503) request.reject(new NoRespondersError(request.subject));
        else request.resolve(msg);
      },
    });
    // Closed (by close() or with its connection), it answers no request still waiting: they fail
    // as requests nobody answered in time, and the next request subscribes again.
    void subscription.closed.then(() => {
      if (this.subscription === subscription) {
        this.subscription = undefined;
        this.inbox = undefined;
      }
      for (const [token, request] of [...this.pending]) {
        this.settle(token);
        request.reject(new OperationTimeoutError(request.subject));
      }
    });
    this.subscription = subscription;
    return inbox;
  }

  /** Takes a waiting request out of the pending ones, its timer stopped. */
  private settle(token: string): PendingRequest | undefined {
    const request = this.pending.get(token);
    if (!request) return undefined;
    this.pending.delete(token);
    clearTimeout(request.timer);
    return request;
  }
}
