import { createHash } from 'node:crypto';

/**
 * A notification to publish to a topic: one per source event (`sourceId`, unique and stable, so
 * that publishing it again changes nothing), delivered to each of the topic's subscribers.
 */
export interface Notification {
  /** What it notifies, e.g. `license-configuration-expiry:<arn>:<expiry>:30`. */
  sourceId: string;
  topicArn: string;
  /** At most 100 characters, as SNS allows. */
  subject: string;
  /** The Message, sent as its JSON text (CloudWatch alarms send their own alarm notification document). */
  message: NotificationMessage | Record<string, unknown>;
  publishedAt: Date;
}

/** The body of every notification, in the shape of AWS's service events (EventBridge's envelope). */
export interface NotificationMessage {
  version: '1.0';
  source: 'aws.license-manager';
  'detail-type': string;
  account: string;
  region: string;
  time: string;
  resources: string[];
  detail: Record<string, unknown>;
}

/**
 * The delivery's MessageId: a UUID derived from the notification and the endpoint, so that the
 * same notification to the same endpoint always has the same id, however often it is sent, and a
 * receiver can drop what it has seen.
 */
export function deliveryMessageId(sourceId: string, endpoint: string): string {
  const hex = createHash('sha256').update(`${sourceId}\n${endpoint}`).digest('hex');
  // Shaped as a version 8 (custom) UUID, RFC 9562.
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** SNS's subject limit: 100 characters. */
export function subjectOf(text: string): string {
  return text.length <= 100 ? text : `${text.slice(0, 99)}…`;
}

/** What an HTTP(S) subscriber receives: SNS's notification document and headers. */
export interface SnsDelivery {
  headers: Record<string, string>;
  body: string;
}

/**
 * SNS's HTTP notification, as SNS POSTs it. Not signed: this deployment has no certificate for
 * receivers to verify, so Signature, SigningCertURL and SignatureVersion are left out rather than
 * faked.
 */
export function snsDelivery(
  delivery: { messageId: string; topicArn: string; subject: string; message: string; publishedAt: Date },
  subscriptionArn: string,
): SnsDelivery {
  const body = JSON.stringify({
    Type: 'Notification',
    MessageId: delivery.messageId,
    TopicArn: delivery.topicArn,
    Subject: delivery.subject,
    Message: delivery.message,
    Timestamp: delivery.publishedAt.toISOString(),
  });
  return {
    headers: {
      'content-type': 'text/plain; charset=UTF-8',
      'x-amz-sns-message-type': 'Notification',
      'x-amz-sns-message-id': delivery.messageId,
      'x-amz-sns-topic-arn': delivery.topicArn,
      'x-amz-sns-subscription-arn': subscriptionArn,
    },
    body,
  };
}

/** The subscription's ARN: the topic's, then an id stable for that endpoint. */
export function subscriptionArnOf(topicArn: string, endpoint: string): string {
  const hex = createHash('sha256').update(`${topicArn}\n${endpoint}`).digest('hex');
  return `${topicArn}:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
