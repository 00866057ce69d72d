/**
 * The audit record of one API call the gateway answered, in CloudTrail's event record format
 * (eventVersion 1.08), so that tools that read CloudTrail records read these. The gateway
 * publishes it on `lm.audit.<api>.<operation>`, in a batch (`AuditRecordBatch`); reporting keeps
 * it for LookupEvents.
 */
export interface AuditRecord {
  eventVersion: '1.08';
  userIdentity: AuditUserIdentity;
  /** ISO 8601 without milliseconds, in UTC, as CloudTrail writes it: when the request arrived. */
  eventTime: string;
  /** `<endpoint prefix>.amazonaws.com` of the API called (`license-manager.amazonaws.com`, `kms.amazonaws.com`...). */
  eventSource: string;
  /** The operation; `unknown` when the request named none this gateway serves. */
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  /** The input as decoded, members in lowerCamelCase as CloudTrail writes them, secrets hidden; null when none was read. */
  requestParameters: Record<string, unknown> | null;
  /** The output of a successful call, written like requestParameters; null for a failure. */
  responseElements: Record<string, unknown> | null;
  errorCode?: string;
  errorMessage?: string;
  /** The x-amzn-RequestId of the answer. */
  requestID: string;
  /** Unique per record: reporting stores a record once however often it is delivered. */
  eventID: string;
  readOnly: boolean;
  eventType: 'AwsApiCall';
  managementEvent: true;
  eventCategory: 'Management';
  /** The account whose trail holds the record; absent when the call proved no account (see docs/gateway.md). */
  recipientAccountId?: string;
}

export type AuditIdentityType = 'Root' | 'IAMUser' | 'AssumedRole' | 'WebIdentityUser' | 'Unknown';

/** Who called; a WebIdentityUser has no account (the record's recipientAccountId is the role's). */
export interface AuditUserIdentity {
  type: AuditIdentityType;
  /** A WebIdentityUser's is `<identity provider>:<audience>:<subject>`. */
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  /** The name LookupEvents' Username matches: `root`, the user's name, the role session's name, or the web identity's subject. */
  userName?: string;
  /** A WebIdentityUser's identity provider: the token's issuer. */
  identityProvider?: string;
}

/** What CloudTrail writes in place of a value it does not record. */
export const HIDDEN_DUE_TO_SECURITY_REASONS = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/** How long audit records are kept, in the audit stream and in reporting: CloudTrail's event history, 90 days. */
export const AUDIT_RETENTION_DAYS = 90;
