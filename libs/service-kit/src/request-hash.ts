import { createHash } from 'node:crypto';
import { stringifyExactJson } from '@lm/contracts';

/** Object keys in a fixed order, so that the same request always hashes the same. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

/** What tells a retry (same ClientToken, same request) from another request reusing a ClientToken. */
export function requestHash(input: { ClientToken: string }): string {
  const { ClientToken: _token, ...request } = input;
  return createHash('sha256')
    .update(stringifyExactJson(canonical(request)))
    .digest('hex');
}
