import { nanos, RetentionPolicy, StorageType, type NatsConnection } from 'nats';
import { AUDIT_RETENTION_DAYS } from '@lm/contracts';
import { ensureStream } from './jetstream-stream';
import { namespacedRoot } from './subjects';

/**
 * JetStream subject of the audit records of an operation: `lm.audit.<api>.<operation>` (`>` for
 * all), each message a batch of them (`AuditMessage`).
 */
export function auditSubject(api: string, operation: string): string {
  return `${namespacedRoot}.audit.${api}.${operation}`;
}

export const AUDIT_SUBJECTS = `${namespacedRoot}.audit.>`;

/** The JetStream stream that keeps a deployment's audit records (named like its events stream). */
export function auditStreamName(deploymentNamespace: string | undefined): string {
  return deploymentNamespace ? `LM_AUDIT_${deploymentNamespace.replace(/-/g, '_').toUpperCase()}` : 'LM_AUDIT';
}

export const AUDIT_STREAM = auditStreamName(process.env.LM_NATS_NAMESPACE);

/**
 * Creates the stream of audit records if it does not exist yet (the gateway and reporting call
 * it): on file, so that records published while reporting is down wait for it; each kept for
 * the audit trail's retention, after which reporting would drop it anyway; duplicates (a
 * batch published again with the same message id) dropped within ten minutes; LM_JETSTREAM_REPLICAS copies.
 */
export async function ensureAuditStream(nc: NatsConnection): Promise<void> {
  await ensureStream(nc, {
    name: AUDIT_STREAM,
    subjects: [AUDIT_SUBJECTS],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_age: nanos(AUDIT_RETENTION_DAYS * 24 * 3_600_000),
    duplicate_window: nanos(10 * 60_000),
  });
}
