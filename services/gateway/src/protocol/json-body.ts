import { randomUUID } from 'node:crypto';

/** As deep as a document may nest, as the CBOR decoder allows: the models nest a few levels, and recursion over a deeper one would exhaust the stack. */
export const MAX_JSON_DEPTH = 64;

/** A document nested deeper than MAX_JSON_DEPTH: refused before anything recurses over it. */
export class JsonTooDeepError extends Error {
  constructor() {
    super(`JSON nesting deeper than ${MAX_JSON_DEPTH} levels.`);
  }
}

/**
 * The JSON protocols carry longs as JSON numbers, and a long has 64 bits where a double holds 53:
 * JSON.parse reads 9223372036854775807 as 9223372036854775808 and 9007199254740993 as
 * 9007199254740992, values the client never sent. An integer literal a double cannot hold exactly
 * is read as a bigint instead, so that validation compares it exactly and quotes the client's own
 * digits. Every other value is JSON.parse's. Throws JsonTooDeepError past MAX_JSON_DEPTH, and
 * JSON.parse's SyntaxError for what is not JSON.
 */
export function parseJsonExactly(text: string): unknown {
  // Each unsafe integer literal travels through JSON.parse as a string behind a marker no client
  // can guess (a random id per parse), and comes out as a bigint.
  const marker = `exact-integer:${randomUUID()}:`;
  const marked = markUnsafeIntegers(text, marker);
  if (marked === text) return JSON.parse(text);
  return JSON.parse(marked, (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(marker) ? BigInt(value.slice(marker.length)) : value,
  );
}

/** The text with every integer literal outside the safe range replaced by a marked string; its depth checked on the way. */
function markUnsafeIntegers(text: string, marker: string): string {
  const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  let out = '';
  let copied = 0;
  let depth = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '"') {
      index = endOfString(text, index);
      continue;
    }
    if (char === '[' || char === '{') {
      if (++depth > MAX_JSON_DEPTH) throw new JsonTooDeepError();
      continue;
    }
    if (char === ']' || char === '}') {
      depth--;
      continue;
    }
    if (char !== '-' && (char < '0' || char > '9')) continue;
    number.lastIndex = index;
    const literal = number.exec(text)?.[0];
    if (!literal) continue;
    if (/^-?\d+$/.test(literal) && !Number.isSafeInteger(Number(literal))) {
      out += `${text.slice(copied, index)}"${marker}${literal}"`;
      copied = index + literal.length;
    }
    index += literal.length - 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** The index of the quote that closes the string opened at `start` (the end of the text if none). */
function endOfString(text: string, start: number): number {
  for (let index = start + 1; index < text.length; index++) {
    if (text[index] === '\\') index++;
    else if (text[index] === '"') return index;
  }
  return text.length;
}

/**
 * A value as JSON can carry it on: the bigints of parseJsonExactly as numbers. Once validated, a
 * long member holds no bigint (see validateInput); what is left (a double member written as a long
 * integer, a member the model does not know) is a number to every service.
 */
export function withJsonNumbers<T>(value: T): T {
  if (typeof value === 'bigint') return Number(value) as T;
  if (Array.isArray(value)) return value.map(withJsonNumbers) as T;
  if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withJsonNumbers(item)])) as T;
  }
  return value;
}
