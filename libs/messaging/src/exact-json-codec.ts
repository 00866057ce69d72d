import type { Codec } from 'nats';
import { parseExactJson, stringifyExactJson } from '@lm/contracts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * nats' JSONCodec with longs kept exact (see @lm/contracts exact-json): what crosses NATS with a
 * long in it (requests, replies, events, audit records) arrives with the digits it left with.
 */
export function ExactJSONCodec<T = unknown>(): Codec<T> {
  return {
    encode: (value: T) => encoder.encode(stringifyExactJson(value)),
    decode: (data: Uint8Array) => parseExactJson(decoder.decode(data)) as T,
  };
}
