import { describe, expect, it } from 'vitest';
import { CborError, decodeCbor, encodeCbor } from '../../src/protocol';

const hex = (text: string) => Buffer.from(text.replace(/\s/g, ''), 'hex');
const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** Examples of RFC 8949, Appendix A: the encoding and the value it stands for. */
const RFC_EXAMPLES: Array<[string, unknown]> = [
  ['00', 0],
  ['17', 23],
  ['1818', 24],
  ['1903e8', 1000],
  ['1a000f4240', 1000000],
  ['1b000000e8d4a51000', 1000000000000],
  ['20', -1],
  ['3863', -100],
  ['3903e7', -1000],
  ['f90000', 0],
  ['f93c00', 1],
  ['f93e00', 1.5],
  ['f97bff', 65504],
  ['f90001', 5.960464477539063e-8],
  ['f90400', 0.00006103515625],
  ['f9c400', -4],
  ['f97c00', Infinity],
  ['f9fc00', -Infinity],
  ['fa47c35000', 100000],
  ['fa7f7fffff', 3.4028234663852886e38],
  ['fb3ff199999999999a', 1.1],
  ['fb7e37e43c8800759c', 1e300],
  ['f4', false],
  ['f5', true],
  ['f6', null],
  ['40', new Uint8Array()],
  ['4401020304', Uint8Array.of(1, 2, 3, 4)],
  ['60', ''],
  ['6161', 'a'],
  ['6449455446', 'IETF'],
  ['62225c', '"\\'],
  ['62c3bc', '\u00fc'],
  ['64f0908591', '\u{10151}'],
  ['80', []],
  ['83010203', [1, 2, 3]],
  ['8301820203820405', [1, [2, 3], [4, 5]]],
  ['a0', {}],
  ['a26161016162820203', { a: 1, b: [2, 3] }],
  ['826161a161626163', ['a', { b: 'c' }]],
  // Indefinite lengths.
  ['5f42010243030405ff', Uint8Array.of(1, 2, 3, 4, 5)],
  ['7f657374726561646d696e67ff', 'streaming'],
  ['9fff', []],
  ['9f018202039f0405ffff', [1, [2, 3], [4, 5]]],
  ['83018202039f0405ff', [1, [2, 3], [4, 5]]],
  ['bf61610161629f0203ffff', { a: 1, b: [2, 3] }],
  ['bf6346756ef563416d7421ff', { Fun: true, Amt: -2 }],
];

describe('CBOR decoding', () => {
  it.each(RFC_EXAMPLES)('reads %s as RFC 8949 says', (encoded, value) => {
    expect(decodeCbor(hex(encoded))).toEqual(value);
  });

  it('reads NaN (half precision)', () => {
    expect(decodeCbor(hex('f97e00'))).toBeNaN();
  });

  it('reads tag 1 timestamps, integer or fractional seconds, as Dates', () => {
    expect(decodeCbor(hex('c11a514b67b0'))).toEqual(new Date('2013-03-21T20:04:00Z'));
    expect(decodeCbor(hex('c1fb41d452d9ec200000'))).toEqual(new Date('2013-03-21T20:04:00.500Z'));
  });

  it('reads a value under an unknown tag as the value', () => {
    expect(decodeCbor(hex('d82076687474703a2f2f7777772e6578616d706c652e636f6d'))).toBe('http://www.example.com');
  });

  it('keeps __proto__ a plain key', () => {
    const decoded = decodeCbor(hex('a1695f5f70726f746f5f5f01')) as Record<string, unknown>;
    expect(Object.keys(decoded)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
  });

  it.each([
    ['', 'empty data'],
    ['1a0000', 'a head cut short'],
    ['62c3', 'a string cut short'],
    ['5a7fffffff00', 'a length past the end'],
    ['0000', 'data after the item'],
    ['ff', 'a lone break code'],
    ['8201ff', 'a break inside a definite array'],
    ['1c', 'reserved additional information'],
    ['62c328', 'invalid UTF-8'],
    ['a10102', 'a non-text map key'],
    ['5f6161ff', 'a text chunk inside an indefinite byte string'],
    ['c16161', 'a tag 1 that does not hold a number'],
    ['f818', 'an unassigned simple value'],
    ['9f'.repeat(100), 'nesting past the limit'],
  ])('refuses %s (%s) with a CborError', (encoded) => {
    expect(() => decodeCbor(hex(encoded))).toThrow(CborError);
  });
});

describe('CBOR encoding', () => {
  it.each([
    [0, '00'],
    [23, '17'],
    [24, '1818'],
    [1000, '1903e8'],
    [1000000, '1a000f4240'],
    [1000000000000, '1b000000e8d4a51000'],
    [-1, '20'],
    [-1000, '3903e7'],
    [1.5, 'fa3fc00000'],
    [1.1, 'fb3ff199999999999a'],
    [true, 'f5'],
    [null, 'f6'],
    ['IETF', '6449455446'],
    [Uint8Array.of(1, 2, 3, 4), '4401020304'],
    [[1, [2, 3]], '82018202 03'.replace(' ', '')],
    [{ a: 1, b: [2, 3] }, 'a26161016162820203'],
  ])('writes %j in its shortest form', (value, encoded) => {
    expect(toHex(encodeCbor(value))).toBe(encoded);
  });

  it('writes Dates as tag 1 epoch seconds', () => {
    expect(toHex(encodeCbor(new Date('2013-03-21T20:04:00Z')))).toBe('c11a514b67b0');
    expect(decodeCbor(encodeCbor(new Date('2026-01-02T03:04:05.250Z')))).toEqual(new Date('2026-01-02T03:04:05.250Z'));
  });

  it('leaves undefined members out of maps', () => {
    expect(decodeCbor(encodeCbor({ a: 1, b: undefined }))).toEqual({ a: 1 });
  });

  it('reads back what it writes', () => {
    const value = { Label: 'x', Values: [0.5, 96, -3, 1e300], Timestamps: [new Date(0)], Nested: { Ok: false } };
    expect(decodeCbor(encodeCbor(value))).toEqual(value);
  });
});
