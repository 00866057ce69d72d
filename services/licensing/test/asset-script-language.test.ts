import { describe, expect, it } from 'vitest';
import {
  parseScript,
  scriptHolds,
  ScriptSyntaxError,
  type ScriptValue,
} from '../src/asset-groups/domain/script-language';

const names = new Set(['value', 'values', 'InstanceType', 'vcpus']);
const holds = (script: string, scope: Record<string, ScriptValue> = {}) =>
  scriptHolds(parseScript(script, names), scope);

describe('script language', () => {
  const scope = { value: 'm5.XLarge', values: ['a', 'b'], vcpus: '8' };

  it.each([
    ['value == "m5.xlarge"', true],
    ["value != 'm5.xlarge'", false],
    ['value startsWith "m5." and value endsWith "large"', true],
    ['value contains "xl"', true],
    ['"b" in values', true],
    ['values contains "c"', false],
    ['value in ["t3.micro", "m5.xlarge"]', true],
    ['vcpus >= 8 and vcpus < 16', true],
    ['vcpus > 8 or not (vcpus == 8)', false],
    ['length(values) == 2', true],
    ['upper(value) == "M5.XLARGE" and lower(value) == "m5.xlarge"', true],
    ['InstanceType == null', true],
    ['true and (false or true)', true],
    ['not not true', true],
  ])('%s is %s', (script, expected) => expect(holds(script, scope)).toBe(expected));

  it('binds and tighter than or, and evaluates left to right', () => {
    expect(holds('true or false and false')).toBe(true);
    expect(holds('(true or false) and false')).toBe(false);
  });

  it('is false, not an error, when types do not fit', () => {
    expect(holds('value > 3', scope)).toBe(false);
    expect(holds('value', scope)).toBe(false);
    expect(holds('InstanceType startsWith "m5"', {})).toBe(false);
    expect(holds('length(InstanceType) == 0', {})).toBe(false);
  });

  it.each([
    ['', /empty/],
    ['value ==', /end/],
    ['value == "open', /unterminated string/],
    ['(value == "a"', /expected '\)'/],
    ['value = "a"', /unexpected character '='/],
    ['value == "a" "b"', /unexpected 'b'/],
    ['constructor == 1', /unknown name 'constructor'/],
    ['eval("1")', /unknown name 'eval'/],
    ['value; 1', /unexpected character ';'/],
    ['not '.repeat(40) + 'true', /nested deeper/],
    ['"x" == "' + 'x'.repeat(3000) + '"', /longer than/],
  ])('refuses %j', (script, message) => {
    expect(() => parseScript(script, names)).toThrow(ScriptSyntaxError);
    expect(() => parseScript(script, names)).toThrow(message);
  });
});
