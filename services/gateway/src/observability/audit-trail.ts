import { Logger } from '@nestjs/common';
import { auditSubject, ensureAuditStream } from '@lm/messaging';
import { type NatsConnection } from 'nats';
import type { AuditRecord } from '@lm/contracts';
import type { HttpRequest } from '../protocol';
import { buildAuditRecord, type AuditedCall } from './audit-record';
import { ExactJSONCodec } from '@lm/messaging';

/** Where the gateway sends the audit record of each call it answers. */
export interface AuditRecorder {
  record(request: HttpRequest, call: AuditedCall): void;
}

export const AUDIT_RECORDER = Symbol('AuditRecorder');

const codec = ExactJSONCodec<AuditRecord>();

/**
 * Publishes each answered call's CloudTrail record to JetStream (`lm.audit.<api>.<operation>`),
 * where it waits for reporting even while reporting is down. Fire and forget: the answer never
 * waits for the publish, and a record that cannot be published (NATS unreachable) is logged as
 * lost, never failing the request. The record's eventID is the message id, so that JetStream
 * drops a duplicate publish.
 */
export class JetStreamAuditTrail implements AuditRecorder {
  private readonly logger = new Logger('audit');
  private stream?: Promise<void>;

  constructor(private readonly nc: NatsConnection) {}

  record(request: HttpRequest, call: AuditedCall): void {
    let record: AuditRecord;
    try {
      record = buildAuditRecord(request, call);
    } catch (error) {
      this.logger.error({ msg: `no audit record: ${(error as Error).message}`, requestId: call.requestId });
      return;
    }
    void this.publish(call.api?.id ?? 'unknown', record).catch((error: Error) =>
      this.logger.warn({ msg: `audit record lost: ${error.message}`, requestId: record.requestID }),
    );
  }

  private async publish(api: string, record: AuditRecord): Promise<void> {
    // Made once (again after a failure), before the first record: a publish to a subject no stream captures would be lost.
    this.stream ??= ensureAuditStream(this.nc).catch((error: unknown) => {
      this.stream = undefined;
      throw error;
    });
    await this.stream;
    await this.nc
      .jetstream()
      .publish(auditSubject(api, record.eventName), codec.encode(record), { msgID: record.eventID });
  }
}
