import type { ApiModel, MemberRef, Shape } from '@lm/api-model';
import { formatTimestamp, parseTimestamp, type TimestampFormat } from '@lm/api-model';
import { toLong } from '@lm/contracts';

/** How a document writes the scalars JSON has no type for (the CBOR protocol has: tag 1, byte strings). */
export interface DocumentScalars {
  timestamp(date: Date, format: TimestampFormat): unknown;
  blob(bytes: Uint8Array | string): unknown;
}

const JSON_SCALARS: DocumentScalars = {
  timestamp: (date, format) => formatTimestamp(date, format),
  blob: (bytes) => (bytes instanceof Uint8Array ? Buffer.from(bytes).toString('base64') : bytes),
};

/**
 * Renders a value as the JSON document of a shape, as the AWS JSON protocols put it on the
 * wire: only modeled members (internal fields never leak), under their wire names, without
 * null members, timestamps as epoch seconds unless the member or shape says otherwise, and
 * blobs as base64 (or as `scalars` says, for the CBOR protocol's documents).
 */
export function toJsonDocument(
  api: ApiModel,
  shapeName: string,
  value: unknown,
  scalars: DocumentScalars = JSON_SCALARS,
): unknown {
  const shape = api.shapes[shapeName];
  return shape ? new DocumentRenderer(api, scalars).render(shape, value, undefined) : value;
}

/** Body members of a structure; members bound to the URI, query, headers or status are left out. */
export function renderStructure(api: ApiModel, shape: Shape, value: unknown): Record<string, unknown> {
  return new DocumentRenderer(api, JSON_SCALARS).structure(shape, value);
}

class DocumentRenderer {
  constructor(
    private readonly api: ApiModel,
    private readonly scalars: DocumentScalars,
  ) {}

  render(shape: Shape, value: unknown, format: TimestampFormat | undefined): unknown {
    if (value === null || value === undefined) return value;
    switch (shape.type) {
      case 'structure':
        return this.structure(shape, value);
      case 'list':
        return Array.isArray(value) && shape.member ? value.map((item) => this.ref(shape.member!, item)) : value;
      case 'map':
        if (!isObject(value) || !shape.value) return value;
        return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.ref(shape.value!, item)]));
      case 'timestamp': {
        const date = parseTimestamp(value);
        return date ? this.scalars.timestamp(date, format ?? shape.timestampFormat ?? 'epoch-seconds') : value;
      }
      case 'blob':
        return value instanceof Uint8Array || typeof value === 'string' ? this.scalars.blob(value) : value;
      case 'long':
        // A long kept exact (a bigint, or PostgreSQL's int8 as digits) goes out as the same digits.
        return typeof value === 'string' && /^-?\d+$/.test(value) ? toLong(value) : value;
      case 'integer':
      case 'double':
      case 'float':
        return typeof value === 'bigint' ? Number(value) : value;
      default:
        return value;
    }
  }

  structure(shape: Shape, value: unknown): Record<string, unknown> {
    const document: Record<string, unknown> = {};
    if (!isObject(value)) return document;
    for (const [name, ref] of Object.entries(shape.members ?? {})) {
      if (ref.location || !Object.hasOwn(value, name)) continue;
      const rendered = this.ref(ref, value[name]);
      if (rendered !== null && rendered !== undefined) document[ref.locationName ?? name] = rendered;
    }
    return document;
  }

  private ref(ref: MemberRef, value: unknown): unknown {
    const shape = this.api.shapes[ref.shape];
    return shape ? this.render(shape, value, ref.timestampFormat) : value;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
