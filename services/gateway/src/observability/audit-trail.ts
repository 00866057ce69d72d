import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { AuditRecord } from '@lm/contracts';
import { auditSubject, ensureAuditStream, JetStreamPublisher } from '@lm/messaging';
import { type NatsConnection } from 'nats';
import type { HttpRequest } from '../protocol';
import { auditRecord, type AuditedCall } from './audit-record';

/** Where the gateway sends the audit record of each call it answers. */
export interface AuditRecorder {
  record(request: HttpRequest, call: AuditedCall): void;
}

export const AUDIT_RECORDER = Symbol('AuditRecorder');

/** Records in one message at most (CloudTrail's log files hold about as many). */
export const MAX_BATCH_RECORDS = 100;

/**
 * Bytes of one message at most, well under NATS' max_payload (1 MiB by default): 100 records of a
 * typical call fit (a GetLicenseConfiguration's is about 1.6 KB); records whose parameters are
 * near CloudTrail's 100 KB caps make messages of a few. A record over it goes alone.
 */
export const MAX_BATCH_BYTES = 256 * 1024;

/**
 * How long a record waits for others to share its message. Each message costs NATS and reporting
 * a publish, a PubAck, a delivery and an ack (a socket write each), and reporting a commit, more
 * than the record itself: at a few hundred calls a second, 50 ms puts tens of records in each
 * (10 ms put a few: measured side by side, 50 ms saved half a write system call and a tenth of a
 * WAL flush per request on every hot path). The answer never waits for its record; LookupEvents
 * shows it up to 50 ms later (CloudTrail's own history takes minutes); a gateway that crashes (a
 * stop publishes them first) loses the records of its last 50 ms.
 */
export const BATCH_DELAY_MS = 50;

const encoder = new TextEncoder();
/** `{"Records":[` and `]}`. */
const ENVELOPE_BYTES = 14;

/** The records of one subject waiting for their message, as JSON (measured as they come). */
interface PendingBatch {
  subject: string;
  records: string[];
  requestIds: string[];
  bytes: number;
}

/**
 * Publishes each answered call's CloudTrail record to JetStream, batched per operation
 * (`lm.audit.<api>.<operation>`, one message `{"Records":[...]}` like a CloudTrail log file, see
 * AuditRecordBatch), where it waits for reporting even while reporting is down. A subject's batch
 * is published once it holds MAX_BATCH_RECORDS records or MAX_BATCH_BYTES, BATCH_DELAY_MS after the
 * first record waiting, or when the gateway stops. Fire and forget: the answer never waits for the
 * publish, and a batch that cannot be published (NATS unreachable) is logged as lost, never
 * failing a request. Each batch has its own message id, so that JetStream drops a duplicate publish.
 */
export class JetStreamAuditTrail implements AuditRecorder {
  private readonly logger = new Logger('audit');
  private readonly maxBytes: number;
  private readonly batches = new Map<string, PendingBatch>();
  private timer?: NodeJS.Timeout;
  private closed = false;
  private stream?: Promise<void>;

  /**
   * `publisher`: its own ack inbox by default (nats.js' js.publish builds a NatsError with its
   * stack trace for each publish it settles).
   */
  constructor(
    private readonly nc: NatsConnection,
    private readonly publisher: Pick<JetStreamPublisher, 'publish' | 'close'> = new JetStreamPublisher(nc),
  ) {
    // A server configured with a smaller max_payload would refuse every batch at our cap.
    this.maxBytes = Math.min(MAX_BATCH_BYTES, nc.info?.max_payload ?? MAX_BATCH_BYTES);
  }

  record(request: HttpRequest, call: AuditedCall): void {
    let record: AuditRecord;
    let json: string;
    try {
      ({ record, json } = auditRecord(request, call));
    } catch (error) {
      this.logger.error({ msg: `no audit record: ${(error as Error).message}`, requestId: call.requestId });
      return;
    }
    const bytes = Buffer.byteLength(json) + 1; // and its comma
    const subject = auditSubject(call.api?.id ?? 'unknown', record.eventName);
    let batch = this.batches.get(subject);
    if (batch && batch.bytes + bytes > this.maxBytes) {
      void this.publish(batch);
      batch = undefined;
    }
    if (!batch) {
      batch = { subject, records: [], requestIds: [], bytes: ENVELOPE_BYTES };
      this.batches.set(subject, batch);
    }
    batch.records.push(json);
    batch.requestIds.push(record.requestID);
    batch.bytes += bytes;
    if (this.closed || batch.records.length >= MAX_BATCH_RECORDS || batch.bytes >= this.maxBytes)
      void this.publish(batch);
    else this.timer ??= setTimeout(() => void this.flush(), BATCH_DELAY_MS);
  }

  /** Publishes the records still waiting, and each later one at once: the gateway is stopping. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    this.publisher.close();
  }

  /** Publishes every subject's batch at once: in one socket write, as the client sends what one tick published. */
  private async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.all([...this.batches.values()].map((batch) => this.publish(batch)));
  }

  /** Resolves once published or logged as lost. */
  private async publish(batch: PendingBatch): Promise<void> {
    this.batches.delete(batch.subject);
    const data = encoder.encode(`{"Records":[${batch.records.join(',')}]}`);
    try {
      // Made once (again after a failure), before the first batch: a publish to a subject no stream captures would be lost.
      this.stream ??= ensureAuditStream(this.nc).catch((error: unknown) => {
        this.stream = undefined;
        throw error;
      });
      await this.stream;
      await this.publisher.publish(batch.subject, data, randomUUID());
    } catch (error) {
      this.logger.warn({
        msg: `${batch.records.length} audit records lost: ${(error as Error).message}`,
        requestIds: batch.requestIds,
      });
    }
  }
}
