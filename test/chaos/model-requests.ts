import type { ApiModel } from '@lm/api-model';
import type { WireRequest } from './signed-http';

/** An operation's HTTP request as its API's clients send it, and the SigV4 service name it is signed for. */
export interface OperationRequest extends WireRequest {
  signingName: string;
  /** Sent without a signature (STS AssumeRoleWithWebIdentity). */
  unsigned: boolean;
}

/**
 * Encodes an operation's input in its API's protocol, from the model alone: awsJson (target
 * header, JSON body), restJson1 (URI labels, query string, JSON body; a label the input leaves out
 * gets a placeholder so that the path still names the operation) or the query protocol (a form of
 * its top-level members). The input is sent as it is, valid or not.
 */
export function requestFor(api: ApiModel, operation: string, input: Record<string, unknown>): OperationRequest {
  const model = api.operations[operation];
  const signing = {
    signingName: model.signingName ?? api.metadata.signingName ?? api.metadata.endpointPrefix,
    unsigned: model.authtype === 'none',
  };
  switch (api.metadata.protocol) {
    case 'rest-json':
      return { ...signing, ...restJsonRequest(api, operation, input) };
    case 'query': {
      const form = new URLSearchParams({ Action: operation, Version: api.metadata.apiVersion });
      for (const [name, value] of Object.entries(input)) form.append(name, String(value));
      const headers = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
      return { ...signing, method: 'POST', path: '/', headers, body: form.toString() };
    }
    default: {
      const headers = {
        'content-type': `application/x-amz-json-${api.metadata.jsonVersion ?? '1.1'}`,
        'x-amz-target': `${api.metadata.targetPrefix}.${operation}`,
      };
      return { ...signing, method: 'POST', path: '/', headers, body: JSON.stringify(input) };
    }
  }
}

function restJsonRequest(api: ApiModel, operation: string, input: Record<string, unknown>): WireRequest {
  const model = api.operations[operation];
  const members = Object.entries(api.shapes[model.input ?? '']?.members ?? {});
  const wireName = (name: string) => members.find(([member]) => member === name)?.[1].locationName ?? name;
  const [template, fixedQuery = ''] = model.http.requestUri.split('?');
  const query = new URLSearchParams(fixedQuery);
  const body: Record<string, unknown> = {};
  const labels: Record<string, string> = {};
  for (const [name, ref] of members) {
    if (!Object.hasOwn(input, name)) continue;
    const value = input[name];
    if (ref.location === 'uri') labels[wireName(name)] = String(value);
    else if (ref.location === 'querystring') {
      for (const item of Array.isArray(value) ? value : [value]) query.append(wireName(name), String(item));
    } else if (!ref.location) body[wireName(name)] = value;
  }
  const path = template.replace(/\{([^}+]+)(\+)?\}/g, (_, label: string, greedy?: string) => {
    const value = labels[label] ?? 'placeholder';
    return greedy ? value.split('/').map(encodeURIComponent).join('/') : encodeURIComponent(value);
  });
  const search = query.toString();
  return {
    method: model.http.method,
    path: search ? `${path}?${search}` : path,
    headers: { 'content-type': 'application/json' },
    body: model.http.method === 'GET' || model.http.method === 'DELETE' ? '' : JSON.stringify(body),
  };
}
