import { describe, expect, it } from 'vitest';
import { JsonTooDeepError, MAX_JSON_DEPTH } from '../../src/protocol/json-body';
import { apiModels } from '@lm/api-model';
import { parseJsonExactly, withModelNumbers } from '../../src/protocol';

describe('parseJsonExactly', () => {
  it('reads an integer literal a double cannot hold as a bigint with the digits sent', () => {
    expect(parseJsonExactly('{"LicenseCount": 9223372036854775807, "Min": -9223372036854775808}')).toEqual({
      LicenseCount: 9223372036854775807n,
      Min: -9223372036854775808n,
    });
    expect(parseJsonExactly('[9007199254740993, 9007199254740991, 12345678901234567890123]')).toEqual([
      9007199254740993n,
      9007199254740991,
      12345678901234567890123n,
    ]);
  });

  it('leaves every other value to JSON.parse: safe integers, fractions, exponents, strings holding digits', () => {
    const text =
      '{"a": 1, "b": 9007199254740993.5, "c": 1e400, "d": "9223372036854775807", "e": "\\"9223372036854775807", "f": [true, null, -0]}';
    expect(parseJsonExactly(text)).toEqual(JSON.parse(text));
  });

  it('cannot be made to read a string as a bigint', () => {
    const parsed = parseJsonExactly(
      '{"s": "exact-integer:00000000-0000-0000-0000-000000000000:1", "n": 9223372036854775807}',
    );
    expect(parsed).toEqual({ s: 'exact-integer:00000000-0000-0000-0000-000000000000:1', n: 9223372036854775807n });
  });

  it('refuses what JSON.parse refuses', () => {
    for (const text of ['{"a": 92233720368547758070', '{"a": 00012345678901234567}', '{"a": 1}}'])
      expect(() => parseJsonExactly(text)).toThrow(SyntaxError);
  });

  it('keeps own "__proto__" members as JSON.parse does', () => {
    const parsed = parseJsonExactly('{"__proto__": {"polluted": 9223372036854775807}}') as Record<string, unknown>;
    expect(Object.hasOwn(parsed, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(withModelNumbers(apiModels['license-manager'], undefined, parsed), '__proto__')).toBe(true);
  });
});

describe('parseJsonExactly on deep documents', () => {
  const nested = (depth: number, open: string, close: string) => `${open.repeat(depth)}${close.repeat(depth)}`;

  it(`reads documents nested ${MAX_JSON_DEPTH} levels deep and refuses deeper ones before anything recurses`, () => {
    expect(() => parseJsonExactly(nested(MAX_JSON_DEPTH, '[', ']'))).not.toThrow();
    for (const deep of [nested(MAX_JSON_DEPTH + 1, '[', ']'), `${'{"a":'.repeat(400_000)}1${'}'.repeat(400_000)}`])
      expect(() => parseJsonExactly(deep)).toThrow(JsonTooDeepError);
  });

  it('does not count brackets inside strings', () => {
    const text = JSON.stringify({ a: `${'['.repeat(1000)}\\`, b: `"${'{'.repeat(1000)}` });
    expect(parseJsonExactly(text)).toEqual(JSON.parse(text));
  });
});

describe('withModelNumbers', () => {
  const lm = apiModels['license-manager'];

  it('keeps the bigint of a long member, deep, and turns every other bigint into a number', () => {
    const input = parseJsonExactly(
      '{"Name": "n", "Entitlements": [{"Name": "Seats", "Unit": "Count", "MaxCount": 9007199254740993}], "Unknown": [9007199254740993]}',
    );
    expect(withModelNumbers(lm, 'CreateLicenseRequest', input)).toEqual({
      Name: 'n',
      Entitlements: [{ Name: 'Seats', Unit: 'Count', MaxCount: 9007199254740993n }],
      Unknown: [9007199254740992],
    });
    expect(withModelNumbers(lm, 'ListLicensesRequest', { MaxResults: 9007199254740993n })).toEqual({
      MaxResults: 9007199254740992,
    });
  });
});
