import type { ApiModel, MemberRef, Shape } from '@lm/api-model';
import { formatTimestamp, parseTimestamp, type TimestampFormat } from '@lm/api-model';

/**
 * Renders a value as the JSON document of a shape, as the AWS JSON protocols put it on the
 * wire: only modeled members (internal fields never leak), under their wire names, without
 * null members, timestamps as epoch seconds unless the member or shape says otherwise, and
 * blobs as base64.
 */
export function toJsonDocument(api: ApiModel, shapeName: string, value: unknown): unknown {
  const shape = api.shapes[shapeName];
  return shape ? render(api, shape, value, undefined) : value;
}

function render(api: ApiModel, shape: Shape, value: unknown, format: TimestampFormat | undefined): unknown {
  if (value === null || value === undefined) return value;
  switch (shape.type) {
    case 'structure':
      return renderStructure(api, shape, value);
    case 'list':
      return Array.isArray(value) && shape.member ? value.map((item) => renderRef(api, shape.member!, item)) : value;
    case 'map':
      if (!isObject(value) || !shape.value) return value;
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderRef(api, shape.value!, item)]));
    case 'timestamp': {
      const date = parseTimestamp(value);
      return date ? formatTimestamp(date, format ?? shape.timestampFormat ?? 'epoch-seconds') : value;
    }
    case 'blob':
      return value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value;
    default:
      return value;
  }
}

/** Body members of a structure; members bound to the URI, query, headers or status are left out. */
export function renderStructure(api: ApiModel, shape: Shape, value: unknown): Record<string, unknown> {
  const document: Record<string, unknown> = {};
  if (!isObject(value)) return document;
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    if (ref.location || !Object.hasOwn(value, name)) continue;
    const rendered = renderRef(api, ref, value[name]);
    if (rendered !== null && rendered !== undefined) document[ref.locationName ?? name] = rendered;
  }
  return document;
}

function renderRef(api: ApiModel, ref: MemberRef, value: unknown): unknown {
  const shape = api.shapes[ref.shape];
  return shape ? render(api, shape, value, ref.timestampFormat) : value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
