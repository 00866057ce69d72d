import { describe, expect, it } from 'vitest';
import { asPreparedQuery, statementName } from '../src/prepared-statements';

describe('prepared statements', () => {
  it('names a parameterised text, the same name for the same text', () => {
    const text = 'select * from "licensing"."license_configurations" where "id" = $1';
    const [named] = asPreparedQuery([text, ['lic-1']]) as [{ name: string; text: string; values: unknown[] }];
    expect(named).toEqual({ name: statementName(text), text, values: ['lic-1'] });
    expect(named.name).toMatch(/^lm_[0-9a-f]{24}$/);
    expect(asPreparedQuery([text, ['lic-2']])).toEqual([{ name: named.name, text, values: ['lic-2'] }]);
    expect(statementName(`${text} for update`)).not.toBe(named.name);
  });

  it('leaves transaction control, texts without values, config objects and callbacks as they are', () => {
    const callback = () => undefined;
    for (const args of [
      ['begin'],
      ['commit'],
      ['select 1', []],
      [{ text: 'select $1', values: [1] }],
      ['select $1', [1], callback],
    ])
      expect(asPreparedQuery(args)).toBe(args);
  });

  it('stops naming new texts past its bound, so that varying shapes cannot prepare without end', () => {
    for (let i = 0; i < 2_100; i++) statementName(`select $1 -- shape ${i}`);
    expect(asPreparedQuery(['select $1 -- one shape too many', [1]])).toEqual(['select $1 -- one shape too many', [1]]);
    // Texts named before the bound keep their names.
    expect(statementName('select $1 -- shape 0')).toMatch(/^lm_/);
  });
});
