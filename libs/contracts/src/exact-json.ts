import { randomUUID } from 'node:crypto';

/**
 * JSON whose integers keep every digit. The AWS JSON protocols carry longs (64 bits) as JSON
 * numbers, and a double holds 53: JSON.parse reads 9223372036854775807 as 9223372036854775808 and
 * 9007199254740993 as 9007199254740992, values the client never sent. Every hop a long crosses
 * (the gateway's body, NATS requests, replies and events, the event store's and views' jsonb)
 * parses and writes JSON with these two functions instead: an integer a double cannot hold
 * exactly is a bigint in memory and the same digits in the text. Every other value is JSON's own.
 */

/** As deep as a document may nest, as the CBOR decoder allows: the models nest a few levels, and recursion over a deeper one would exhaust the stack. */
export const MAX_JSON_DEPTH = 64;

/** A document nested deeper than MAX_JSON_DEPTH: refused before anything recurses over it. */
export class JsonTooDeepError extends Error {
  constructor() {
    super(`JSON nesting deeper than ${MAX_JSON_DEPTH} levels.`);
  }
}

/**
 * A number of sixteen digits or more where JSON can have one (first, or after a colon, bracket or
 * comma): no integer literal with fewer is past 2 ** 53, so a text without one is JSON.parse's
 * alone. A string of digits (an id, a timestamp) may match too, and only costs the slow path. Not
 * `\d{16}` alone: it restarts at every digit of every shorter run (ARNs' accounts, instants), which
 * made it four times slower on our messages, and it matched every string of 16 digits.
 */
const LONG_NUMBER = /(?:^|[:[,])\s*-?\d{16}/;

/**
 * Which integer literals past 2 ** 53 - 1 are read as bigints. `every`: all of them, for a text a
 * client wrote (the gateway's body), whose model then says which members are longs. `longs` (the
 * default): those a bigint wrote, for the system's own texts (NATS messages, jsonb), which carry
 * doubles too: JSON.stringify writes a double from 1e16 to 1e21 as integer digits, and jsonb any
 * large one (1e300 as 301 digits). A literal beyond a long's range is a double then, and so is one
 * that is how JavaScript writes the double it reads as (String(Number(literal)) === literal); what
 * is left can only come from a bigint. A bigint whose digits are also how a double is written (as
 * 4611686018427388000) comes back as that double: a long of that shape is not kept exact.
 */
export type BigintLiterals = 'every' | 'longs';

const LONG_RANGE = { min: -9223372036854775808n, max: 9223372036854775807n };

const isBigintLiteral = (literal: string, which: BigintLiterals): boolean => {
  if (which === 'every') return true;
  if (String(Number(literal)) === literal) return false;
  const exact = BigInt(literal);
  return exact >= LONG_RANGE.min && exact <= LONG_RANGE.max;
};

/**
 * JSON.parse, but an integer literal past 2 ** 53 - 1 is read as a bigint (`which` says which:
 * see BigintLiterals). Throws JSON.parse's SyntaxError for what is not JSON (and JsonTooDeepError
 * past MAX_JSON_DEPTH when the text holds such a literal: see assertJsonDepth for a text from outside).
 */
export function parseExactJson(text: string, which: BigintLiterals = 'longs'): unknown {
  if (!LONG_NUMBER.test(text)) return JSON.parse(text);
  // Each such integer literal travels through JSON.parse as a string behind a marker no client
  // can guess (a random id per parse), and comes out as a bigint.
  const marker = `exact-integer:${randomUUID()}:`;
  const marked = markUnsafeIntegers(text, marker, which);
  if (marked === text) return JSON.parse(text);
  return JSON.parse(marked, (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(marker) ? BigInt(value.slice(marker.length)) : value,
  );
}

/** Throws JsonTooDeepError for a text nested deeper than MAX_JSON_DEPTH, before anything recurses over what it parses to. */
export function assertJsonDepth(text: string): void {
  if (text.length > MAX_JSON_DEPTH * 2) markUnsafeIntegers(text, '', 'every');
}

/**
 * JSON.stringify, but a bigint is written as its digits, a JSON number (JSON.stringify throws on
 * one); `replacer` as JSON.stringify's. A value without bigints costs JSON.stringify alone.
 */
export function stringifyExactJson(value: unknown, replacer?: (key: string, value: unknown) => unknown): string {
  try {
    return JSON.stringify(value, replacer);
  } catch (error) {
    if (!(error instanceof TypeError) || !/BigInt/i.test(error.message)) throw error;
  }
  const marker = `exact-integer:${randomUUID()}:`;
  const marked = JSON.stringify(value, function (this: unknown, key: string, item: unknown) {
    const replaced = replacer ? replacer.call(this, key, item) : item;
    return typeof replaced === 'bigint' ? `${marker}${replaced}` : replaced;
  });
  return marked.split(`"${marker}`).reduce((text, part) => text + part.replace(/^(-?\d+)"/, '$1'));
}

/** The text with every integer literal outside the safe range replaced by a marked string; its depth checked on the way. */
function markUnsafeIntegers(text: string, marker: string, which: BigintLiterals): string {
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
    if (
      marker &&
      /^-?\d+$/.test(literal) &&
      !Number.isSafeInteger(Number(literal)) &&
      isBigintLiteral(literal, which)
    ) {
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
