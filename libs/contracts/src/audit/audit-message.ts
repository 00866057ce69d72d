import type { AuditRecord } from './audit-record';

/**
 * What one message of the audit stream carries: the records of calls to one operation (its
 * subject's), shaped like a CloudTrail log file, `{"Records":[...]}`, as CloudTrail delivers its
 * records to S3. The gateway publishes its records in batches (a message each cost NATS and
 * reporting more than the record itself); the order is the order the calls were answered in.
 */
export interface AuditRecordBatch {
  Records: AuditRecord[];
}

/**
 * A message of the audit stream: a batch, or one bare record as gateways published them before
 * batches (a stream keeps those for the retention period, and reporting still reads them).
 */
export type AuditMessage = AuditRecordBatch | AuditRecord;

/** The records a message of the audit stream carries, whichever its shape. */
export function auditRecordsOf(message: AuditMessage): AuditRecord[] {
  return 'Records' in message ? message.Records : [message];
}
