import type { ApiModel, MemberRef, Shape } from '@lm/api-model';
import { assertJsonDepth, JsonTooDeepError, MAX_JSON_DEPTH, parseExactJson } from '@lm/contracts';

export { JsonTooDeepError, MAX_JSON_DEPTH };

/**
 * A request body as the client wrote it (see @lm/contracts exact-json): an integer literal a
 * double cannot hold exactly is read as a bigint, so that validation compares it exactly, quotes
 * the client's own digits, and a long reaches its service digit for digit. Throws
 * JsonTooDeepError past MAX_JSON_DEPTH, before anything recurses over it, and JSON.parse's
 * SyntaxError for what is not JSON.
 */
export function parseJsonExactly(text: string): unknown {
  assertJsonDepth(text);
  // Every one: the model, not the digits, says which members are longs (withModelNumbers).
  return parseExactJson(text, 'every');
}

/**
 * A validated input as the services take it: a long member keeps its bigint (NATS carries it
 * digit for digit), every other member read as a bigint (a double written as a long integer, a
 * member the model does not know) is the number a service computes with.
 */
export function withModelNumbers<T>(api: ApiModel, shapeName: string | undefined, value: T): T {
  return carried(api, shapeName ? api.shapes[shapeName] : undefined, value) as T;
}

function carried(api: ApiModel, shape: Shape | undefined, value: unknown): unknown {
  if (typeof value === 'bigint') return shape?.type === 'long' ? value : Number(value);
  if (Array.isArray(value)) return value.map((item) => carried(api, refShape(api, shape?.member), item));
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      carried(api, refShape(api, shape?.type === 'map' ? shape.value : shape?.members?.[key]), item),
    ]),
  );
}

const refShape = (api: ApiModel, ref: MemberRef | undefined): Shape | undefined =>
  ref ? api.shapes[ref.shape] : undefined;
