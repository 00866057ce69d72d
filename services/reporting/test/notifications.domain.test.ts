import { describe, expect, it } from 'vitest';
import { afterFailedAttempt, isDelivered } from '../src/notifications/domain/delivery-policy';
import {
  expiringChange,
  isNotificationSource,
  type NotificationSourceEvent,
} from '../src/notifications/domain/expiring';
import { dueExpiryThreshold } from '../src/notifications/domain/expiry-thresholds';
import { licenseConfigurationExpiry } from '../src/notifications/domain/messages';
import { deliveryMessageId, snsDelivery, subjectOf } from '../src/notifications/domain/notification';
import { parseSubscriptions } from '../src/notifications/domain/subscriptions';

const DAY = 24 * 60 * 60 * 1000;
const now = new Date('2026-06-01T00:00:00Z');
const inDays = (days: number) => new Date(now.getTime() + days * DAY);
const TOPIC = 'arn:aws:sns:us-east-1:111111111111:license-alerts';

describe('expiry thresholds', () => {
  it('are not due more than 120 days ahead', () => {
    expect(dueExpiryThreshold(inDays(121), now, [])).toBeUndefined();
  });

  it('give the nearest threshold passed, passing over the earlier ones', () => {
    expect(dueExpiryThreshold(inDays(29.9), now, [])).toEqual({ threshold: 30, passedOver: [120, 90, 60] });
    expect(dueExpiryThreshold(inDays(100), now, [])).toEqual({ threshold: 120, passedOver: [] });
  });

  it('give each threshold once', () => {
    expect(dueExpiryThreshold(inDays(29.9), now, [120, 90, 60, 30])).toBeUndefined();
    expect(dueExpiryThreshold(inDays(59), now, [120, 90])).toEqual({ threshold: 60, passedOver: [] });
  });

  it('give the 0-day notice once the expiry has come', () => {
    expect(dueExpiryThreshold(inDays(-1), now, [120, 90, 60, 30])).toEqual({ threshold: 0, passedOver: [] });
    expect(dueExpiryThreshold(now, now, [120, 90, 60, 30, 0])).toBeUndefined();
  });
});

describe('delivery policy', () => {
  const policy = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 3000 };

  it('doubles the pause after each failure up to the longest, then gives up', () => {
    expect(afterFailedAttempt(policy, 1, now)).toEqual({ retry: true, at: new Date(now.getTime() + 1000) });
    expect(afterFailedAttempt(policy, 2, now)).toEqual({ retry: true, at: new Date(now.getTime() + 2000) });
    expect(afterFailedAttempt(policy, 3, now)).toEqual({ retry: true, at: new Date(now.getTime() + 3000) });
    expect(afterFailedAttempt(policy, 4, now)).toEqual({ retry: false });
  });

  it('counts any 2xx as delivered', () => {
    expect([200, 204, 299].every(isDelivered)).toBe(true);
    expect([199, 301, 404, 503].some(isDelivered)).toBe(false);
  });
});

describe('deliveries', () => {
  it('have a MessageId that is a UUID fixed by the notification and the endpoint', () => {
    const id = deliveryMessageId('source-1', 'http://a/');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deliveryMessageId('source-1', 'http://a/')).toBe(id);
    expect(deliveryMessageId('source-1', 'http://b/')).not.toBe(id);
    expect(deliveryMessageId('source-2', 'http://a/')).not.toBe(id);
  });

  it('are SNS notification documents with SNS headers', () => {
    const publishedAt = new Date('2026-06-01T12:00:00Z');
    const { headers, body } = snsDelivery(
      { messageId: 'm-1', topicArn: TOPIC, subject: 'S', message: '{"a":1}', publishedAt },
      `${TOPIC}:sub`,
    );
    expect(JSON.parse(body)).toEqual({
      Type: 'Notification',
      MessageId: 'm-1',
      TopicArn: TOPIC,
      Subject: 'S',
      Message: '{"a":1}',
      Timestamp: '2026-06-01T12:00:00.000Z',
    });
    expect(headers).toMatchObject({
      'x-amz-sns-message-type': 'Notification',
      'x-amz-sns-message-id': 'm-1',
      'x-amz-sns-topic-arn': TOPIC,
      'x-amz-sns-subscription-arn': `${TOPIC}:sub`,
    });
  });

  it('keep subjects within the 100 characters SNS allows', () => {
    expect(subjectOf('x'.repeat(150))).toHaveLength(100);
    expect(subjectOf('short')).toBe('short');
  });

  it('tell a configuration expiry in the shape of AWS events, one source per expiry and threshold', () => {
    const arn = 'arn:aws:license-manager:us-east-1:111111111111:license-configuration:lic-1';
    const expiry = inDays(29.5);
    const owner = { accountId: '111111111111', region: 'us-east-1', topicArn: TOPIC };
    const notification = licenseConfigurationExpiry(owner, { arn, name: 'Oracle', expiry }, 30, now);
    expect(notification.subject).toBe('License configuration Oracle expires in 30 days');
    expect(notification.sourceId).toBe(`license-configuration-expiry:${arn}:${expiry.toISOString()}:30`);
    expect(notification.message).toMatchObject({
      source: 'aws.license-manager',
      'detail-type': 'License Configuration Expiry',
      account: '111111111111',
      resources: [arn],
      detail: { licenseConfigurationArn: arn, thresholdDays: 30, daysLeft: 30, licenseExpiry: expiry.toISOString() },
    });
  });
});

/** Only what a test is about: the rest of an event's data is not read. */
const source = (service: 'licensing' | 'grants', type: string, data: object) =>
  ({ service, type, data }) as NotificationSourceEvent;

describe('expiries from events', () => {
  it('reads a configuration LicenseExpiry in seconds, its changes and its deletion', () => {
    const created = expiringChange(
      source('licensing', 'LicenseConfigurationCreated', {
        arn: 'arn:c',
        ownerAccountId: '111111111111',
        region: 'us-east-1',
        name: 'C',
        licenseExpiry: 1_800_000_000,
      }),
    );
    expect(created).toEqual({
      kind: 'created',
      expiring: expect.objectContaining({ kind: 'LICENSE_CONFIGURATION', expiresAt: new Date(1_800_000_000_000) }),
    });
    expect(
      expiringChange(source('licensing', 'LicenseConfigurationUpdated', { changes: { licenseExpiry: 5 } })),
    ).toEqual({ kind: 'changed', expiresAt: new Date(5000) });
    expect(
      expiringChange(source('licensing', 'LicenseConfigurationUpdated', { changes: { description: 'd' } })),
    ).toBeUndefined();
    expect(expiringChange(source('licensing', 'LicenseConfigurationDeleted', {}))).toEqual({
      kind: 'changed',
      expiresAt: null,
    });
  });

  it('reads a licence Validity.End and its renewals', () => {
    const created = expiringChange(
      source('grants', 'LicenseCreated', {
        issuerAccountId: '111111111111',
        license: {
          LicenseArn: 'arn:l',
          LicenseName: 'L',
          HomeRegion: 'us-east-1',
          Validity: { End: '2027-01-01T00:00:00Z' },
        },
      }),
    );
    expect(created).toEqual({
      kind: 'created',
      expiring: {
        resourceArn: 'arn:l',
        kind: 'LICENSE',
        accountId: '111111111111',
        region: 'us-east-1',
        name: 'L',
        expiresAt: new Date('2027-01-01T00:00:00Z'),
      },
    });
    expect(expiringChange(source('grants', 'LicenseRenewed', { newEnd: '2027-02-01T00:00:00Z' }))).toEqual({
      kind: 'changed',
      expiresAt: new Date('2027-02-01T00:00:00Z'),
    });
  });

  it('reads the contract types of licensing and grants it knows, at the version it reads', () => {
    const message = (service: string, type: string, schemaVersion: number) => ({
      service,
      type,
      schemaVersion,
      eventId: 'e',
      streamName: 's',
      streamVersion: 1,
      data: {},
      recordedAt: '2026-01-01T00:00:00Z',
    });
    expect(isNotificationSource(message('licensing', 'LicenseCountExceeded', 1))).toBe(true);
    expect(isNotificationSource(message('grants', 'LicenseRenewed', 1))).toBe(true);
    // A grants type of the same name as nothing licensing publishes, and a licensing type it does not read.
    expect(isNotificationSource(message('licensing', 'LicenseRenewed', 1))).toBe(false);
    expect(isNotificationSource(message('licensing', 'ResourceAssociated', 1))).toBe(false);
    expect(() => isNotificationSource(message('grants', 'LicenseCreated', 2))).toThrow(
      'grants LicenseCreated is at schema version 2; this consumer reads version 1',
    );
  });
});

describe('subscriptions file', () => {
  it('maps topic ARNs to their distinct URLs', () => {
    const subscriptions = parseSubscriptions(JSON.stringify({ [TOPIC]: ['http://a/', 'https://b/x', 'http://a/'] }));
    expect(subscriptions.get(TOPIC)).toEqual(['http://a/', 'https://b/x']);
  });

  it.each([
    ['{', /is not JSON/],
    ['[]', /must be a JSON object/],
    ['{"not-an-arn": ["http://a/"]}', /not an SNS topic ARN/],
    [`{"${TOPIC}": []}`, /non-empty list of URLs/],
    [`{"${TOPIC}": ["ftp://a/"]}`, /not an http or https URL/],
  ])('refuses %s', (json, message) => {
    expect(() => parseSubscriptions(json)).toThrow(message);
  });
});
