/**
 * Global positions are pairs of unsigned 64-bit integers (PostgreSQL: transaction id and
 * sequence number; EventStoreDB: commit and prepare positions). Zero-padding both halves to the
 * 20 digits of 2^64 makes tokens compare as strings exactly as the pairs compare as numbers.
 */
const DIGITS = 20;
const TOKEN = /^(\d{20}):(\d{20})$/;

export function encodePositionToken(first: bigint | string, second: bigint | string): string {
  return `${String(first).padStart(DIGITS, '0')}:${String(second).padStart(DIGITS, '0')}`;
}

export function decodePositionToken(token: string): [bigint, bigint] {
  const match = TOKEN.exec(token);
  if (!match) throw new TypeError(`not a position token of this event store: ${JSON.stringify(token)}`);
  return [BigInt(match[1]), BigInt(match[2])];
}
