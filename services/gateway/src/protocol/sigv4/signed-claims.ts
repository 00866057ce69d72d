import { parseAmzDate, formatAmzDate } from './amz-date';
import { incompleteSignature, missingAuthenticationToken } from './authentication-error';
import { parseQuery } from './canonical-request';
import { ALGORITHM, SCOPE_TERMINATOR, type CredentialScope } from './signature';

/** What a request claims about its signature, from its Authorization header or its presigned query. */
export interface SignedClaims {
  accessKeyId: string;
  scope: CredentialScope;
  signedHeaders: string[];
  signature: string;
  /** The timestamp as it enters the string to sign (basic format). */
  amzDate: string;
  timestamp: Date;
  /** Set for presigned URLs: how long after `timestamp` the URL stays valid. */
  expiresSeconds?: number;
  securityToken?: string;
  /** The query parameters that take part in the canonical request. */
  signedQuery: Array<[string, string]>;
}

export interface ReceivedRequest {
  method: string;
  /** The path exactly as received (still percent-encoded), without the query. */
  path: string;
  /** The raw query string, without the leading '?'. */
  query: string;
  /** Header names lower-cased. */
  headers: Record<string, string | undefined>;
  body: Buffer;
}

const PRESIGN_PARAMS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders'];
const MAX_PRESIGN_EXPIRES_SECONDS = 7 * 24 * 60 * 60;

/** Reads the claims of a request, throwing the IncompleteSignature/MissingAuthenticationToken errors AWS gives. */
export function readSignedClaims(request: ReceivedRequest): SignedClaims {
  const query = parseQuery(request.query);
  const authorization = request.headers['authorization'];
  if (authorization !== undefined && authorization.trim() !== '')
    return fromAuthorizationHeader(authorization, request.headers, query);
  if (query.some(([key]) => key === 'X-Amz-Algorithm' || key === 'X-Amz-Signature' || key === 'X-Amz-Credential')) {
    return fromPresignedQuery(query);
  }
  throw missingAuthenticationToken();
}

function fromAuthorizationHeader(
  authorization: string,
  headers: Record<string, string | undefined>,
  query: Array<[string, string]>,
): SignedClaims {
  const trimmed = authorization.trim();
  const space = trimmed.search(/\s/);
  const algorithm = space < 0 ? trimmed : trimmed.slice(0, space);
  const params = new Map<string, string>();
  for (const part of (space < 0 ? '' : trimmed.slice(space + 1)).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const amzDateHeader = headers['x-amz-date'];
  const dateHeader = headers['date'];

  const missing: string[] = [];
  for (const name of ['Credential', 'Signature', 'SignedHeaders']) {
    if (!params.get(name)) missing.push(`Authorization header requires '${name}' parameter.`);
  }
  if (amzDateHeader === undefined && dateHeader === undefined) {
    missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  if (missing.length > 0) throw incompleteSignature(`${missing.join(' ')} Authorization=${authorization}`);
  if (algorithm !== ALGORITHM) throw incompleteSignature(`Unsupported AWS 'algorithm': '${algorithm}'.`);

  const { amzDate, timestamp } =
    amzDateHeader !== undefined ? fromBasicFormat(amzDateHeader) : fromHttpDate(dateHeader as string);
  return {
    ...parseCredential(params.get('Credential') as string),
    signedHeaders: parseSignedHeaders(params.get('SignedHeaders') as string),
    signature: params.get('Signature') as string,
    amzDate,
    timestamp,
    securityToken: headers['x-amz-security-token'],
    signedQuery: query,
  };
}

function fromPresignedQuery(query: Array<[string, string]>): SignedClaims {
  const param = (name: string) => query.find(([key]) => key === name)?.[1];
  if (PRESIGN_PARAMS.some((name) => !param(name))) {
    throw incompleteSignature(
      `AWS query-string parameters must include ${PRESIGN_PARAMS.map((name) => `'${name}'`).join(', ')}. ` +
        'Re-examine the query-string parameters.',
    );
  }
  const algorithm = param('X-Amz-Algorithm') as string;
  if (algorithm !== ALGORITHM) throw incompleteSignature(`Unsupported AWS 'algorithm': '${algorithm}'.`);
  const expires = param('X-Amz-Expires');
  const expiresSeconds = expires === undefined ? NaN : Number(expires);
  if (!/^\d+$/.test(expires ?? '') || expiresSeconds < 1 || expiresSeconds > MAX_PRESIGN_EXPIRES_SECONDS) {
    throw incompleteSignature(
      `X-Amz-Expires must be a whole number of seconds from 1 to ${MAX_PRESIGN_EXPIRES_SECONDS}, not '${expires ?? ''}'.`,
    );
  }
  return {
    ...parseCredential(param('X-Amz-Credential') as string),
    signedHeaders: parseSignedHeaders(param('X-Amz-SignedHeaders') as string),
    signature: param('X-Amz-Signature') as string,
    ...fromBasicFormat(param('X-Amz-Date') as string),
    expiresSeconds,
    securityToken: param('X-Amz-Security-Token'),
    // The signature cannot sign itself: every other parameter is part of the canonical query.
    signedQuery: query.filter(([key]) => key !== 'X-Amz-Signature'),
  };
}

function parseCredential(credential: string): Pick<SignedClaims, 'accessKeyId' | 'scope'> {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts.slice(0, 4).some((part) => part === '')) {
    throw incompleteSignature(
      `Credential must have the form <AccessKeyId>/<YYYYMMDD>/<region>/<service>/${SCOPE_TERMINATOR}, not '${credential}'.`,
    );
  }
  const [accessKeyId, date, region, service, terminator] = parts;
  if (terminator !== SCOPE_TERMINATOR) {
    throw incompleteSignature(
      `Credential should be scoped with a valid terminator: '${SCOPE_TERMINATOR}', not '${terminator}'.`,
    );
  }
  return { accessKeyId, scope: { date, region, service } };
}

function parseSignedHeaders(list: string): string[] {
  const names = list.split(';').map((name) => name.trim().toLowerCase());
  // Signing the Host binds the signature to this endpoint; AWS refuses signatures that do not.
  if (!names.includes('host')) {
    throw incompleteSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  return names;
}

function fromBasicFormat(value: string): { amzDate: string; timestamp: Date } {
  const timestamp = parseAmzDate(value);
  if (!timestamp) {
    throw incompleteSignature(
      `Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    );
  }
  return { amzDate: value, timestamp };
}

/** Without X-Amz-Date the signer used the HTTP Date header, converted to basic format in the string to sign. */
function fromHttpDate(value: string): { amzDate: string; timestamp: Date } {
  const millis = Date.parse(value);
  if (Number.isNaN(millis)) {
    throw incompleteSignature(`Date must be in RFC 7231 (HTTP-date) format. Got '${value}'.`);
  }
  const timestamp = new Date(Math.floor(millis / 1000) * 1000);
  return { amzDate: formatAmzDate(timestamp), timestamp };
}
