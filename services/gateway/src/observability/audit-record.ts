import { randomUUID } from 'node:crypto';
import type { ApiModel } from '@lm/api-model';
import { stringifyExactJson, type AuditRecord, type AuditUserIdentity, type Caller } from '@lm/contracts';
import { splitUrl, type HttpRequest } from '../protocol';
import { attemptedOperation } from './attempted-operation';
import { auditedValue } from './audit-redaction';

/** One answered call, as the gateway knows it once it has answered. */
export interface AuditedCall {
  requestId: string;
  api?: ApiModel;
  operation: string;
  /** The authenticated caller; absent for an unsigned call and a failed authentication. */
  caller?: Caller;
  /** The decoded input, once it was read. */
  input?: Record<string, unknown>;
  /** The output of a successful call. */
  output?: Record<string, unknown>;
  errorCode?: string;
  errorMessage?: string;
  /** When the request arrived. */
  eventTime: Date;
  /** The Region this gateway serves. */
  region: string;
}

/**
 * Operations that only read though their names do not say so; every other operation reads only
 * when its name starts with Get, List, Describe or Lookup. GetAccessToken issues a credential.
 */
const WRITES_DESPITE_NAME = new Set(['GetAccessToken']);

/**
 * CloudTrail keeps at most 100 KB of request parameters and of response elements. Larger ones are
 * left out (null) rather than cut, so that the record stays valid JSON and, whole, within what a
 * NATS message carries (1 MB by default): a 1 MB body would otherwise lose its record.
 */
const MAX_FIELD_BYTES = 100 * 1024;

function bounded(value: Record<string, unknown> | null): Record<string, unknown> | null {
  return value && Buffer.byteLength(stringifyExactJson(value)) > MAX_FIELD_BYTES ? null : value;
}

/** The CloudTrail record of an answered call (see AuditRecord and docs/gateway.md#audit-records). */
export function buildAuditRecord(request: HttpRequest, call: AuditedCall): AuditRecord {
  return auditRecord(request, call).record;
}

/**
 * The record of an answered call with its JSON. A field can be over its cap only in a record that
 * is over it too, so a record under it (nearly every one) is written once, not once whole and
 * once per field.
 */
export function auditRecord(request: HttpRequest, call: AuditedCall): { record: AuditRecord; json: string } {
  const whole = unboundedRecord(request, call);
  const json = stringifyExactJson(whole);
  if (Buffer.byteLength(json) <= MAX_FIELD_BYTES) return { record: whole, json };
  const record = {
    ...whole,
    requestParameters: bounded(whole.requestParameters),
    responseElements: bounded(whole.responseElements),
  };
  return { record, json: stringifyExactJson(record) };
}

/** The record with its request parameters and response elements whatever their size. */
function unboundedRecord(request: HttpRequest, call: AuditedCall): AuditRecord {
  // A call refused before its operation was resolved (failed authentication) is recorded under the one it tried.
  const { api, operation } = call.operation === 'unknown' ? attemptedOperation(request) : call;
  const { input, output } = call;
  const model = api?.operations[operation];
  const identity = userIdentity(request, call, operation);
  const recipientAccountId = identity.accountId ?? webIdentityRoleAccount(call, operation);
  const readOnly = /^(Get|List|Describe|Lookup)[A-Z]/.test(operation) && !WRITES_DESPITE_NAME.has(operation);
  return {
    eventVersion: '1.08',
    userIdentity: identity,
    eventTime: call.eventTime.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: api ? `${api.metadata.endpointPrefix}.amazonaws.com` : 'unknown',
    eventName: operation,
    awsRegion: call.region,
    sourceIPAddress: request.sourceIp ?? 'unknown',
    userAgent: request.headers['user-agent'] ?? '',
    requestParameters: api && model?.input && input ? auditedValue(api, model.input, input) : null,
    // CloudTrail keeps response elements only of calls that change something: a read's answer is
    // what is stored already, and copying it into every record would cost more than the read.
    responseElements: !readOnly && api && model?.output && output ? auditedValue(api, model.output, output) : null,
    ...(call.errorCode ? { errorCode: call.errorCode, errorMessage: call.errorMessage ?? '' } : {}),
    requestID: call.requestId,
    eventID: randomUUID(),
    readOnly,
    eventType: 'AwsApiCall',
    managementEvent: true,
    eventCategory: 'Management',
    ...(recipientAccountId ? { recipientAccountId } : {}),
  };
}

/**
 * Who called. A signed call names its account's root (long-term keys), an IAM user, or a role
 * session (temporary credentials). STS AssumeRoleWithWebIdentity is unsigned: its caller is the
 * web identity, named as CloudTrail names it (no account: the record goes to the role's account).
 * Any other call without a caller (a failed authentication, an unsigned request) proved no
 * account: Unknown, with the access key it claimed, and no recipient account.
 */
function userIdentity(request: HttpRequest, call: AuditedCall, operation: string): AuditUserIdentity {
  const { caller } = call;
  if (!caller) return unauthenticatedIdentity(request, call, operation);
  const base = { arn: caller.principalArn, accountId: caller.accountId, accessKeyId: caller.accessKeyId };
  const session = /^arn:aws:sts::\d+:assumed-role\/([^/]+)\/(.+)$/.exec(caller.principalArn);
  if (session)
    return { type: 'AssumedRole', principalId: `${session[1]}:${session[2]}`, userName: session[2], ...base };
  const user = /^arn:aws:iam::\d+:user\/(?:.*\/)?([^/]+)$/.exec(caller.principalArn);
  if (user) return { type: 'IAMUser', principalId: caller.accessKeyId, userName: user[1], ...base };
  return { type: 'Root', principalId: caller.accountId, userName: 'root', ...base };
}

function unauthenticatedIdentity(request: HttpRequest, call: AuditedCall, operation: string): AuditUserIdentity {
  if (operation === 'AssumeRoleWithWebIdentity') return webIdentity(call);
  // The access key id is no secret: naming it tells an administrator which key failed.
  const credential = request.headers['authorization'] ?? splitUrl(request.url)[1] ?? '';
  const claimedKey = /Credential=([A-Z0-9]+)(?:\/|%2F)/i.exec(credential)?.[1];
  return { type: 'Unknown', ...(claimedKey ? { accessKeyId: claimedKey } : {}) };
}

/**
 * The web identity as CloudTrail writes it: `<provider>:<audience>:<subject>`, the subject as user
 * name (what LookupEvents' Username finds) and the token's issuer. Known from a successful answer
 * only: a refused token proved no identity.
 */
function webIdentity(call: AuditedCall): AuditUserIdentity {
  const { Provider, Audience, SubjectFromWebIdentityToken: subject } = (call.output ?? {}) as Record<string, string>;
  if (!Provider || !subject) return { type: 'WebIdentityUser' };
  return {
    type: 'WebIdentityUser',
    principalId: `${Provider}:${Audience ?? ''}:${subject}`,
    userName: subject,
    identityProvider: Provider,
  };
}

/** The account of the role a web identity assumed: the record's recipient once the call succeeded. */
function webIdentityRoleAccount(call: AuditedCall, operation: string): string | undefined {
  if (operation !== 'AssumeRoleWithWebIdentity' || call.caller) return undefined;
  const assumedRole = (call.output?.AssumedRoleUser as { Arn?: string } | undefined)?.Arn;
  return (assumedRole && /^arn:aws:sts::(\d{12}):/.exec(assumedRole)?.[1]) || undefined;
}
