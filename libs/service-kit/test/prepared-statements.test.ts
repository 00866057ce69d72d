import { Query } from 'pg';
import { describe, expect, it } from 'vitest';
import { asPreparedQuery, sendPrepared, statementName } from '../src/prepared-statements';

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

  it('sends a named text as a pg Query of that name, and answers with its result or its error', async () => {
    const sent: unknown[][] = [];
    const send = (...args: unknown[]) => sent.push(args);
    const text = 'select * from "licensing"."license_configurations" where "id" = $1';
    const answered = sendPrepared(send, [text, ['lic-1']]);
    const refused = sendPrepared(send, [text, ['lic-2']]);
    const [[first], [second]] = sent as [[Query], [Query]];
    expect(first).toBeInstanceOf(Query);
    expect(first).toMatchObject({ name: statementName(text), text, values: ['lic-1'] });
    const result = { rows: [{ id: 'lic-1' }] };
    (first as unknown as { callback: (error?: Error, result?: unknown) => void }).callback(undefined, result);
    (second as unknown as { callback: (error?: Error) => void }).callback(new Error('no such table'));
    await expect(answered).resolves.toBe(result);
    await expect(refused).rejects.toThrow('no such table');
  });

  it('sends anything it does not name as given', () => {
    const sent: unknown[][] = [];
    const config = { text: 'select $1', values: [1], rowMode: 'array' };
    for (const args of [['begin'], [config], ['select 1', []]]) sendPrepared((...given) => sent.push(given), args);
    expect(sent).toEqual([['begin'], [config], ['select 1', []]]);
    expect(sent[1][0]).toBe(config);
  });
});
