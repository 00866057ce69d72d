import type { ApiModel, MemberRef, Shape } from '@lm/api-model';
import { renderStructure } from '../json-document';
import { formatTimestamp, parseTimestamp } from '@lm/api-model';
import { stringifyExactJson } from '@lm/contracts';

export interface RestResponse {
  statusCode: number;
  headers: Record<string, string>;
  /** JSON text; `{}` when the output has no body members, which every SDK accepts. */
  body: string;
}

/**
 * The HTTP response of a restJson1 operation: members bound to headers and to the status code
 * go out of the body, all other modeled members into the JSON body.
 */
export function serializeRestOutput(api: ApiModel, operationName: string, output: unknown): RestResponse {
  const operation = api.operations[operationName];
  const shape = operation?.output ? api.shapes[operation.output] : undefined;
  const response: RestResponse = {
    statusCode: operation?.http.responseCode ?? 200,
    headers: { 'content-type': 'application/json' },
    body: '{}',
  };
  if (!shape || typeof output !== 'object' || output === null) return response;
  const values = output as Record<string, unknown>;
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    const memberShape = api.shapes[ref.shape];
    if (value === null || value === undefined || !memberShape) continue;
    if (ref.location === 'statusCode' && typeof value === 'number') response.statusCode = value;
    if (ref.location === 'header')
      response.headers[(ref.locationName ?? name).toLowerCase()] = headerText(api, memberShape, ref, value);
    if (ref.location === 'headers' && typeof value === 'object') {
      for (const [suffix, item] of Object.entries(value))
        response.headers[`${ref.locationName ?? ''}${suffix}`.toLowerCase()] = String(item);
    }
  }
  response.body = stringifyExactJson(renderStructure(api, shape, output));
  return response;
}

/** Header values: timestamps as HTTP-dates unless modeled otherwise, lists comma-separated. */
function headerText(api: ApiModel, shape: Shape, ref: MemberRef, value: unknown): string {
  if (shape.type === 'list' && Array.isArray(value)) {
    const itemShape = shape.member && api.shapes[shape.member.shape];
    return value.map((item) => (itemShape ? headerText(api, itemShape, shape.member!, item) : String(item))).join(', ');
  }
  if (shape.type === 'timestamp') {
    const date = parseTimestamp(value);
    if (date) return String(formatTimestamp(date, ref.timestampFormat ?? shape.timestampFormat ?? 'rfc822'));
  }
  return String(value);
}
