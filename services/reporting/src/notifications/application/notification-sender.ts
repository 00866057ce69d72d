import type { SnsDelivery } from '../domain/notification';

/** Where deliveries go out: an HTTP(S) POST to the subscriber's endpoint. */
export interface NotificationSender {
  /** The endpoint's HTTP status; throws when it could not be reached or did not answer in time. */
  send(endpoint: string, delivery: SnsDelivery): Promise<number>;
}

export const NOTIFICATION_SENDER = Symbol('NotificationSender');
