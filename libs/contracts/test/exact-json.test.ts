import { describe, expect, it } from 'vitest';
import { addLongs, parseExactJson, stringifyExactJson, subtractLongs, toLong } from '../src';

describe('exact JSON', () => {
  it('writes a bigint as its digits and reads them back as the same bigint', () => {
    const value = {
      count: 9223372036854775807n,
      small: 3,
      nested: [{ max: 9007199254740993n }, -9223372036854775808n],
    };
    const text = stringifyExactJson(value);
    expect(text).toBe(
      '{"count":9223372036854775807,"small":3,"nested":[{"max":9007199254740993},-9223372036854775808]}',
    );
    expect(parseExactJson(text)).toEqual(value);
  });

  it('is JSON.stringify and JSON.parse for everything else, strings of digits included', () => {
    const value = { a: '9223372036854775807', b: 1.5, c: [null, true], d: 'exact-integer:x:1' };
    expect(stringifyExactJson(value)).toBe(JSON.stringify(value));
    expect(parseExactJson(JSON.stringify(value))).toEqual(value);
  });

  it("applies a replacer as JSON.stringify's, bigints and all", () => {
    const upper = (_key: string, value: unknown) => (typeof value === 'string' ? value.toUpperCase() : value);
    expect(stringifyExactJson({ a: 'x', n: 9007199254740993n }, upper)).toBe('{"a":"X","n":9007199254740993}');
  });

  it('still throws what JSON.stringify throws for another reason', () => {
    const circular: Record<string, unknown> = { n: 1n };
    circular.self = circular;
    expect(() => stringifyExactJson(circular)).toThrow(TypeError);
  });
});

describe("exact JSON on the system's own texts", () => {
  it('reads back as doubles the integer digits JSON.stringify and jsonb write for large doubles', () => {
    // JSON.stringify writes 1e20 and 1.2345678901234567e19 as integer digits; jsonb writes 1e300 as 301 digits.
    const text = `{"a": ${JSON.stringify(1e20)}, "b": ${JSON.stringify(1.2345678901234567e19)}, "c": 1${'0'.repeat(300)}}`;
    expect(parseExactJson(text)).toEqual({ a: 1e20, b: 1.2345678901234567e19, c: 1e300 });
  });

  it('reads a long a bigint wrote as that bigint, and every literal of a client as a bigint', () => {
    const text = '{"max": 9223372036854775807, "odd": 9007199254740993, "round": 100000000000000000000}';
    expect(parseExactJson(text)).toEqual({ max: 9223372036854775807n, odd: 9007199254740993n, round: 1e20 });
    expect(parseExactJson(text, 'every')).toEqual({
      max: 9223372036854775807n,
      odd: 9007199254740993n,
      round: 100000000000000000000n,
    });
  });

  it('finds a long wherever JSON puts a number: alone, in arrays, after whitespace, negative', () => {
    expect(parseExactJson('9007199254740993')).toBe(9007199254740993n);
    expect(parseExactJson(' \n-9007199254740993')).toBe(-9007199254740993n);
    expect(parseExactJson('[1, 9007199254740993,\t-9223372036854775808]')).toEqual([
      1,
      9007199254740993n,
      -9223372036854775808n,
    ]);
    expect(parseExactJson('{"a":\r\n 9007199254740993, "b": [\n9007199254740995]}')).toEqual({
      a: 9007199254740993n,
      b: [9007199254740995n],
    });
  });
});

describe('longs', () => {
  it('are numbers while a double holds them exactly, bigints beyond', () => {
    expect(toLong('9007199254740991')).toBe(9007199254740991);
    expect(toLong(9007199254740993n)).toBe(9007199254740993n);
    expect(toLong('-9223372036854775808')).toBe(-9223372036854775808n);
  });

  it('add and subtract exactly across 2 ** 53', () => {
    // In doubles, 2 ** 53 + 1 is 2 ** 53: the (2 ** 53 + 2)th unit would fit a hard limit of 2 ** 53 + 1.
    expect(addLongs(9007199254740992, 1)).toBe(9007199254740993n);
    expect(addLongs(9007199254740993n, 1) > 9007199254740993n).toBe(true);
    expect(addLongs(999_999_999_999_999, 999_999_999_999_999, 1)).toBe(1999999999999999);
    expect(subtractLongs(9007199254740993n, 2)).toBe(9007199254740991);
    expect(addLongs()).toBe(0);
  });
});
