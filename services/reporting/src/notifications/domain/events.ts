import type { CataloguedEvents } from '@lm/contracts';

/** How an attempt ended: delivered, failed and to be tried again, or failed for the last time. */
export type DeliveryOutcome = 'DELIVERED' | 'RETRYING' | 'FAILED';

/** Every attempt to deliver a notification to a subscriber, for the record and for other systems. */
export type NotificationEvent = {
  type: 'NotificationDeliveryAttempted';
  data: {
    messageId: string;
    topicArn: string;
    endpoint: string;
    subject: string;
    attempt: number;
    outcome: DeliveryOutcome;
    /** The endpoint's HTTP status, when it answered. */
    statusCode?: number;
    /** Why it failed (the status, a refused connection, a timeout). */
    error?: string;
    nextAttemptAt?: string;
    at: string;
  };
};

/** Relayed to lm.events.reporting.*: a type missing from the catalogue of @lm/contracts fails to compile here. */
type _Published = CataloguedEvents<'reporting', NotificationEvent>;

/** One stream per delivery (a notification to one subscriber): its attempts in order. */
export const deliveryStream = (messageId: string) => `notification-delivery-${messageId}`;
