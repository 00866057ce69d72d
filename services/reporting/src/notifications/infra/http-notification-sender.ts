import type { SnsDelivery } from '../domain/notification';
import type { NotificationSender } from '../application/notification-sender';

/** POSTs deliveries with fetch, giving up on an endpoint that has not answered within `timeoutMs`. */
export class HttpNotificationSender implements NotificationSender {
  constructor(private readonly timeoutMs: number) {}

  async send(endpoint: string, delivery: SnsDelivery): Promise<number> {
    try {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: delivery.headers,
        body: delivery.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      // The body is not read: only the status says whether it was taken.
      await response.body?.cancel();
      return response.status;
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      if ((error as Error).name === 'TimeoutError')
        throw new Error(`no answer within ${this.timeoutMs} ms`, { cause: error });
      throw new Error(cause ? `could not reach the endpoint (${cause})` : (error as Error).message, { cause: error });
    }
  }
}
