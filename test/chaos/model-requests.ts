import type { ApiModel, Shape, WireProtocol } from '@lm/api-model';
import { encodeCbor } from '../../services/gateway/src/protocol';
import type { WireRequest } from './signed-http';

/** An operation's HTTP request as its API's clients send it, and the SigV4 service name it is signed for. */
export interface OperationRequest extends WireRequest {
  signingName: string;
  /** Sent without a signature (STS AssumeRoleWithWebIdentity). */
  unsigned: boolean;
}

/**
 * A JSON value written as given, not as JSON.stringify would write it: a number beyond a double
 * (`1e400`, 30 digits), `-0`. In a query string or a URI label it is its text; in CBOR the double
 * it reads as.
 */
export class RawJson {
  constructor(readonly text: string) {}
}

/** JSON text of a value that may hold RawJson anywhere; keys such as `__proto__` are written as the own keys they are. */
export function jsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([key, member]) => `${JSON.stringify(key)}:${jsonText(member)}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/**
 * The protocol a request goes in unless told: the API's default, except CloudWatch's CBOR, which
 * the callers that want it ask for (its awsJson1_0 form is what the other APIs' tests compare with).
 */
const defaultProtocol = (api: ApiModel): WireProtocol =>
  api.metadata.protocol === 'smithy-rpc-v2-cbor' ? 'json' : api.metadata.protocol;

/**
 * Encodes an operation's input in one of its API's protocols, from the model alone: awsJson
 * (target header, JSON body), restJson1 (URI labels, query string, JSON body; a label the input
 * leaves out gets a placeholder so that the path still names the operation), the query protocol
 * (a form: structures as `A.B`, lists as `A.member.N`, maps as `A.entry.N.key`) or RPC v2 CBOR.
 * The input is sent as it is, valid or not.
 */
export function requestFor(
  api: ApiModel,
  operation: string,
  input: Record<string, unknown>,
  protocol: WireProtocol = defaultProtocol(api),
): OperationRequest {
  const model = api.operations[operation];
  const signing = {
    signingName: model.signingName ?? api.metadata.signingName ?? api.metadata.endpointPrefix,
    unsigned: model.authtype === 'none',
  };
  switch (protocol) {
    case 'rest-json':
      return { ...signing, ...restJsonRequest(api, operation, input) };
    case 'query': {
      const form = new URLSearchParams({ Action: operation, Version: api.metadata.apiVersion });
      const inputShape = model.input ? api.shapes[model.input] : undefined;
      for (const [name, value] of formEntries(api, inputShape, input, '')) form.append(name, value);
      const headers = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
      return { ...signing, method: 'POST', path: '/', headers, body: form.toString() };
    }
    case 'smithy-rpc-v2-cbor': {
      const headers = {
        'content-type': 'application/cbor',
        accept: 'application/cbor',
        'smithy-protocol': 'rpc-v2-cbor',
      };
      const path = `/service/${api.metadata.targetPrefix}/operation/${operation}`;
      return { ...signing, method: 'POST', path, headers, body: Buffer.from(encodeCbor(cborValue(input))) };
    }
    default: {
      const headers = {
        'content-type': `application/x-amz-json-${api.metadata.jsonVersion ?? '1.1'}`,
        'x-amz-target': `${api.metadata.targetPrefix}.${operation}`,
      };
      return { ...signing, method: 'POST', path: '/', headers, body: jsonText(input) };
    }
  }
}

/** The query protocol's parameters of a value of `shape` at `prefix` (scalars as their text, whatever their type). */
function formEntries(api: ApiModel, shape: Shape | undefined, value: unknown, prefix: string): Array<[string, string]> {
  const at = (name: string) => (prefix === '' ? name : `${prefix}.${name}`);
  if (value instanceof RawJson) return [[prefix, value.text]];
  if (Array.isArray(value)) {
    if (value.length === 0) return [[prefix, '']];
    const items = shape?.type === 'list' && !shape.flattened ? at(shape.member?.locationName ?? 'member') : prefix;
    const itemShape = shape?.type === 'list' ? api.shapes[shape.member?.shape ?? ''] : undefined;
    return value.flatMap((item, index) => formEntries(api, itemShape, item, `${items}.${index + 1}`));
  }
  if (value !== null && typeof value === 'object') {
    if (shape?.type === 'map') {
      const entries = shape.flattened ? prefix : at('entry');
      return Object.entries(value).flatMap(([key, item], index) => [
        [`${entries}.${index + 1}.${shape.key?.locationName ?? 'key'}`, key] as [string, string],
        ...formEntries(api, api.shapes[shape.value?.shape ?? ''], item, `${entries}.${index + 1}.value`),
      ]);
    }
    return Object.entries(value).flatMap(([name, member]) => {
      const ref = shape?.members?.[name];
      return formEntries(api, api.shapes[ref?.shape ?? ''], member, at(ref?.locationName ?? name));
    });
  }
  return prefix === '' ? [] : [[prefix, String(value)]];
}

/** A value CBOR can carry: RawJson as the number it reads as. */
function cborValue(value: unknown): unknown {
  if (value instanceof RawJson) return Number(value.text);
  if (Array.isArray(value)) return value.map(cborValue);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, cborValue(member)]));
  return value;
}

function restJsonRequest(api: ApiModel, operation: string, input: Record<string, unknown>): WireRequest {
  const model = api.operations[operation];
  const members = Object.entries(api.shapes[model.input ?? '']?.members ?? {});
  const wireName = (name: string) => members.find(([member]) => member === name)?.[1].locationName ?? name;
  const [template, fixedQuery = ''] = model.http.requestUri.split('?');
  const query = new URLSearchParams(fixedQuery);
  const body: Record<string, unknown> = {};
  const labels: Record<string, string> = {};
  const text = (value: unknown) =>
    value instanceof RawJson
      ? value.text
      : value !== null && typeof value === 'object'
        ? jsonText(value)
        : String(value);
  for (const [name, ref] of members) {
    if (!Object.hasOwn(input, name)) continue;
    const value = input[name];
    if (ref.location === 'uri') labels[wireName(name)] = text(value);
    else if (ref.location === 'querystring') {
      for (const item of Array.isArray(value) ? value : [value]) query.append(wireName(name), text(item));
    } else if (!ref.location) body[wireName(name)] = value;
  }
  // Members the model does not know travel in the body, as a client that sends them would.
  for (const [name, value] of Object.entries(input))
    if (!members.some(([member]) => member === name)) body[name] = value;
  const path = template.replace(/\{([^}+]+)(\+)?\}/g, (_, label: string, greedy?: string) => {
    const value = labels[label] ?? 'placeholder';
    return greedy ? value.split('/').map(percentEncoded).join('/') : percentEncoded(value);
  });
  const search = query.toString();
  return {
    method: model.http.method,
    path: search ? `${path}?${search}` : path,
    headers: { 'content-type': 'application/json' },
    body: model.http.method === 'GET' || model.http.method === 'DELETE' ? '' : jsonText(body),
  };
}

/** encodeURIComponent of any string: a lone surrogate (which it throws on) goes as the UTF-8 of U+FFFD, as Node would send its bytes. */
function percentEncoded(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9\-_.!~*'()]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}
