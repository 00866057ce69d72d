import { apiModels } from '@lm/api-model';
import type { AuditRecord } from '@lm/contracts';
import { auditSubject } from '@lm/messaging';
import { JSONCodec, type NatsConnection } from 'nats';
import { describe, expect, it } from 'vitest';
import { JetStreamAuditTrail } from '../../src/observability/audit-trail';

const request = { method: 'POST', url: '/', headers: {}, body: Buffer.alloc(0) };
const call = {
  requestId: 'req-1',
  api: apiModels['license-manager'],
  operation: 'ListLicenses',
  eventTime: new Date(),
  region: 'us-east-1',
};

/** A NATS connection whose stream management and publishes are scripted. */
function natsWhere(publish: (subject: string, data: Uint8Array, options: { msgID: string }) => Promise<unknown>) {
  const published: { subject: string; record: AuditRecord; msgID: string }[] = [];
  const nc = {
    jetstreamManager: async () => ({ streams: { info: async () => ({ config: { num_replicas: 1 } }) } }),
    jetstream: () => ({
      publish: (subject: string, data: Uint8Array, options: { msgID: string }) => {
        published.push({ subject, record: JSONCodec<AuditRecord>().decode(data), msgID: options.msgID });
        return publish(subject, data, options);
      },
    }),
  } as unknown as NatsConnection;
  return { nc, published };
}

describe('JetStreamAuditTrail', () => {
  it('publishes the record on lm.audit.<api>.<operation> with its eventID as message id', async () => {
    const { nc, published } = natsWhere(async () => ({}));
    new JetStreamAuditTrail(nc).record(request, call);
    await new Promise((resolve) => setImmediate(resolve));
    expect(published).toHaveLength(1);
    expect(published[0].subject).toBe(auditSubject('license-manager', 'ListLicenses'));
    expect(published[0].msgID).toBe(published[0].record.eventID);
  });

  it('returns at once and never throws, whether the publish hangs or fails', async () => {
    const hanging = natsWhere(() => new Promise(() => undefined));
    const failing = natsWhere(async () => {
      throw new Error('no stream');
    });
    for (const { nc } of [hanging, failing]) {
      const started = Date.now();
      expect(() => new JetStreamAuditTrail(nc).record(request, call)).not.toThrow();
      expect(Date.now() - started).toBeLessThan(50);
    }
    // The failure is caught (logged as a lost record), not an unhandled rejection.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(failing.published).toHaveLength(1);
  });
});
