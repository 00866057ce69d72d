/**
 * A long of the API models (64 bits) as the services hold it: a number while a double holds it
 * exactly (nearly always), a bigint beyond 2 ** 53 - 1 (see exact-json.ts). Comparisons between
 * the two are exact in JavaScript; arithmetic mixing them throws, so sums go through addLongs.
 */
export type Long = number | bigint;

/** A long read from a number, a bigint or a string of digits (PostgreSQL's int8 and numeric), at its narrowest. */
export function toLong(value: number | bigint | string): Long {
  if (typeof value === 'number') return value;
  const exact = BigInt(value);
  return exact >= BigInt(Number.MIN_SAFE_INTEGER) && exact <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(exact) : exact;
}

/** The exact sum of longs: in doubles while every partial sum is safe, in bigints otherwise. */
export function addLongs(...values: Long[]): Long {
  let sum = 0;
  for (const value of values) {
    sum += typeof value === 'number' ? value : NaN;
    if (!Number.isSafeInteger(sum)) return toLong(values.reduce<bigint>((total, item) => total + BigInt(item), 0n));
  }
  return sum;
}

/** The exact difference a - b. */
export function subtractLongs(a: Long, b: Long): Long {
  return addLongs(a, typeof b === 'number' ? -b : -b);
}

/** Whether a value is a long: an integer number or a bigint. */
export function isLong(value: unknown): value is Long {
  return typeof value === 'bigint' || Number.isInteger(value);
}
