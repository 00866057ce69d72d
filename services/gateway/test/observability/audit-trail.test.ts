import { apiModels } from '@lm/api-model';
import type { AuditRecordBatch } from '@lm/contracts';
import { auditSubject } from '@lm/messaging';
import { JSONCodec, type NatsConnection } from 'nats';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuditedCall } from '../../src/observability/audit-record';
import {
  BATCH_DELAY_MS,
  JetStreamAuditTrail,
  MAX_BATCH_BYTES,
  MAX_BATCH_RECORDS,
} from '../../src/observability/audit-trail';

const request = { method: 'POST', url: '/', headers: {}, body: Buffer.alloc(0) };
const callTo = (operation: string, fields: Partial<AuditedCall> = {}): AuditedCall => ({
  requestId: `req-${Math.random()}`,
  api: apiModels['license-manager'],
  operation,
  eventTime: new Date(),
  region: 'us-east-1',
  ...fields,
});

/** A NATS connection whose stream management is scripted, and a JetStream publisher scripted by `publish`. */
function natsWhere(publish: (subject: string, data: Uint8Array, msgID: string) => Promise<unknown>) {
  const published: { subject: string; batch: AuditRecordBatch; bytes: number; msgID: string }[] = [];
  const nc = {
    jetstreamManager: async () => ({ streams: { info: async () => ({ config: { num_replicas: 1 } }) } }),
  } as unknown as NatsConnection;
  const publisher = {
    publish: async (subject: string, data: Uint8Array, msgID: string) => {
      const batch = JSONCodec<AuditRecordBatch>().decode(data);
      published.push({ subject, batch, bytes: data.length, msgID });
      await publish(subject, data, msgID);
      return { stream: 'audit', seq: published.length, duplicate: false };
    },
    close: () => undefined,
  };
  /** The trail under test, on the scripted connection and publisher. */
  const trail = () => new JetStreamAuditTrail(nc, publisher);
  return { nc, published, trail };
}

/** Lets the scripted publishes (and the stream check before the first) run. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('JetStreamAuditTrail', () => {
  afterEach(() => vi.useRealTimers());

  it('publishes the records of an operation, BATCH_DELAY_MS after the first, as one CloudTrail log file on lm.audit.<api>.<operation>', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { published, trail: newTrail } = natsWhere(async () => ({}));
    const trail = newTrail();
    for (const operation of ['ListLicenses', 'GetLicense', 'ListLicenses']) trail.record(request, callTo(operation));
    await vi.advanceTimersByTimeAsync(BATCH_DELAY_MS - 1);
    expect(published).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(published.map((message) => [message.subject, message.batch.Records.map((r) => r.eventName)])).toEqual([
      [auditSubject('license-manager', 'ListLicenses'), ['ListLicenses', 'ListLicenses']],
      [auditSubject('license-manager', 'GetLicense'), ['GetLicense']],
    ]);
    expect(new Set(published.map((message) => message.msgID)).size).toBe(2);
    expect(published[0].batch.Records[0]).toMatchObject({ eventVersion: '1.08', eventID: expect.any(String) });
  });

  it('publishes a batch at once when it holds MAX_BATCH_RECORDS records', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { published, trail: newTrail } = natsWhere(async () => ({}));
    const trail = newTrail();
    for (let i = 0; i < MAX_BATCH_RECORDS + 1; i++) trail.record(request, callTo('ListLicenses'));
    await vi.advanceTimersByTimeAsync(0);
    expect(published.map((message) => message.batch.Records.length)).toEqual([MAX_BATCH_RECORDS]);
    await vi.advanceTimersByTimeAsync(BATCH_DELAY_MS);
    expect(published.map((message) => message.batch.Records.length)).toEqual([MAX_BATCH_RECORDS, 1]);
  });

  it('keeps each message within MAX_BATCH_BYTES, and within the server max_payload when that is less', async () => {
    // About 30 KB a record: requestParameters under CloudTrail's 100 KB cap.
    const large = callTo('CreateLicenseConfiguration', { input: { Description: 'd'.repeat(30_000) } });
    for (const maxPayload of [undefined, 64 * 1024]) {
      const { nc, published, trail: newTrail } = natsWhere(async () => ({}));
      Object.assign(nc, { info: maxPayload && { max_payload: maxPayload } });
      const trail = newTrail();
      for (let i = 0; i < 20; i++) trail.record(request, { ...large, requestId: `req-${i}` });
      await trail.close();
      const limit = maxPayload ?? MAX_BATCH_BYTES;
      expect(published.flatMap((message) => message.batch.Records.map((r) => r.requestID))).toEqual(
        Array.from({ length: 20 }, (_, i) => `req-${i}`),
      );
      expect(published.length).toBeGreaterThan(1);
      for (const message of published) expect(message.bytes).toBeLessThanOrEqual(limit);
      // Filled: adding the next record would have gone over.
      expect(published[0].bytes + 30_000).toBeGreaterThan(limit);
    }
  });

  it('publishes what waits on close, and each later record at once', async () => {
    const { published, trail: newTrail } = natsWhere(async () => ({}));
    const trail = newTrail();
    trail.record(request, callTo('ListLicenses'));
    trail.record(request, callTo('GetLicense'));
    await trail.close();
    expect(published.map((message) => message.batch.Records.length)).toEqual([1, 1]);
    trail.record(request, callTo('ListLicenses'));
    await settled();
    expect(published).toHaveLength(3);
  });

  it('returns at once and never throws, whether the publish hangs or fails', async () => {
    const hanging = natsWhere(() => new Promise(() => undefined));
    const failing = natsWhere(async () => {
      throw new Error('no stream');
    });
    for (const { trail: newTrail } of [hanging, failing]) {
      const trail = newTrail();
      const started = Date.now();
      for (let i = 0; i < MAX_BATCH_RECORDS; i++)
        expect(() => trail.record(request, callTo('ListLicenses'))).not.toThrow();
      expect(Date.now() - started).toBeLessThan(200);
    }
    // The failure is caught (logged as lost records), not an unhandled rejection.
    await settled();
    expect(failing.published).toHaveLength(1);
  });
});
