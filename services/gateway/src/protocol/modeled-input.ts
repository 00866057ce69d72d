import { isIso8601DateTime, parseTimestamp, type ApiModel, type Shape } from '@lm/api-model';

/**
 * A JSON or CBOR input as its model reads it, at any depth, so that services meet one form:
 * - a structure member set to null is a member not set (Smithy reads it so; the AWS SDKs never
 *   send one): GetMetricStatistics with `"Statistics": null` answered 500 (`null.length`);
 * - a timestamp given as an ISO-8601 date-time is epoch seconds, the form the query and restJson1
 *   binders already give and services compute with: DescribeAlarmHistory with an ISO `EndDate`
 *   answered 500 (`"2024-02-30T00:00:00Z" * 1000`).
 * - a string (or key) holding a lone surrogate, which a JSON escape can write (`"\ud800"`) and
 *   no UTF-8 can, holds U+FFFD in its place, as bytes that are not UTF-8 are read: PostgreSQL
 *   refuses such a string in jsonb, and CreateToken with one in TokenProperties answered 500.
 * All three found by test/chaos/model-fuzzer.test.ts. Null items of lists and maps, and timestamps
 * in any other form, stay as sent, for validation to refuse.
 */
export function asModeledInput(
  api: ApiModel,
  shapeName: string | undefined,
  input: Record<string, unknown>,
): Record<string, unknown> {
  return modeled(api, shapeName ? api.shapes[shapeName] : undefined, input) as Record<string, unknown>;
}

function modeled(api: ApiModel, shape: Shape | undefined, value: unknown): unknown {
  if (shape?.type === 'timestamp' && typeof value === 'string' && isIso8601DateTime(value))
    return parseTimestamp(value)!.getTime() / 1000;
  if (Array.isArray(value)) {
    const item = shape?.type === 'list' ? api.shapes[shape.member?.shape ?? ''] : undefined;
    return value.map((element) => modeled(api, item, element));
  }
  if (typeof value === 'string') return wellFormed(value);
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;
  const isMap = shape?.type === 'map';
  const entries = Object.entries(value)
    .filter(([, member]) => isMap || member !== null)
    .map(([key, member]) => {
      const ref = isMap ? shape.value : shape?.members?.[key];
      return [wellFormed(key), modeled(api, ref ? api.shapes[ref.shape] : undefined, member)] as const;
    });
  // fromEntries defines each key as data, so that a member named __proto__ stays a member.
  return Object.fromEntries(entries);
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** String.prototype.toWellFormed (ES2024, beyond this build's library). */
const wellFormed = (text: string): string => text.replace(LONE_SURROGATE, '\ufffd');
