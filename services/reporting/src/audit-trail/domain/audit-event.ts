import type { CloudTrail } from '@lm/api-model';
import { stringifyExactJson, type AuditRecord } from '@lm/contracts';

/** A record as reporting keeps it: the record whole, and the values LookupEvents looks up and answers. */
export interface AuditEvent {
  eventId: string;
  accountId: string;
  region: string;
  eventTime: Date;
  eventName: string;
  eventSource: string;
  readOnly: boolean;
  /** Absent for a call without one (AssumeRoleWithWebIdentity). */
  accessKeyId?: string;
  username?: string;
  resources: CloudTrail.Resource[];
  record: AuditRecord;
}

/**
 * The event of a record for its recipient account; none for a record that has no recipient (a
 * call that proved no account: it stays in the gateway's request log and the audit stream only).
 */
export function auditEventOf(record: AuditRecord): AuditEvent | undefined {
  if (!record.recipientAccountId) return undefined;
  return {
    eventId: record.eventID,
    accountId: record.recipientAccountId,
    region: record.awsRegion,
    eventTime: new Date(record.eventTime),
    eventName: record.eventName,
    eventSource: record.eventSource,
    readOnly: record.readOnly,
    accessKeyId: record.userIdentity.accessKeyId,
    username: record.userIdentity.userName,
    resources: resourcesOf(record),
    record,
  };
}

/** LookupEvents' view of an event: CloudTrailEvent is the record as JSON, as CloudTrail gives it. */
export function lookupEventOf(event: AuditEvent): CloudTrail.Event {
  return {
    EventId: event.eventId,
    EventName: event.eventName,
    ReadOnly: String(event.readOnly),
    ...(event.accessKeyId ? { AccessKeyId: event.accessKeyId } : {}),
    EventTime: event.eventTime.getTime() / 1000,
    EventSource: event.eventSource,
    ...(event.username ? { Username: event.username } : {}),
    Resources: event.resources,
    CloudTrailEvent: stringifyExactJson(event.record),
  };
}

const ARN = /^arn:aws[a-z-]*:([a-z0-9-]+):[a-z0-9-]*:\d*:([A-Za-z-]+)[:/]/;

/** Service names CloudTrail writes in capitals in resource types (AWS::KMS::Key). */
const ACRONYMS = new Set(['kms', 'iam', 'sts']);

/**
 * The resources a call named: every ARN among its request parameters and response elements,
 * typed as CloudTrail types resources (`AWS::LicenseManager::LicenseConfiguration`), each once.
 */
function resourcesOf(record: AuditRecord): CloudTrail.Resource[] {
  const arns = new Set<string>();
  collectArns(record.requestParameters, arns);
  collectArns(record.responseElements, arns);
  return [...arns].flatMap((arn) => {
    const match = ARN.exec(arn);
    if (!match) return [];
    const service = ACRONYMS.has(match[1]) ? match[1].toUpperCase() : pascal(match[1]);
    return [{ ResourceType: `AWS::${service}::${pascal(match[2])}`, ResourceName: arn }];
  });
}

function collectArns(value: unknown, arns: Set<string>): void {
  if (typeof value === 'string') {
    if (ARN.test(value)) arns.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collectArns(item, arns);
  } else if (value && typeof value === 'object') {
    for (const item of Object.values(value)) collectArns(item, arns);
  }
}

function pascal(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, _dash, letter: string) => letter.toUpperCase());
}
