import { describe, expect, it } from 'vitest';
// @ts-expect-error: the build's scripts are plain JavaScript modules, without declarations.
import { rewriteObjectSpreads, SPREAD_HELPER } from '../../infra/build/object-spread.mjs';

/** The module's exports once its code is rewritten, with the bundle's helper declared before it. */
function rewritten(code: string): Record<string, unknown> {
  const result = rewriteObjectSpreads(code, 'module.js') as { code: string } | null;
  if (!result) throw new Error('nothing rewritten');
  const module = { exports: {} as Record<string, unknown> };
  new Function('module', `${SPREAD_HELPER}\n${result.code}`)(module);
  return module.exports;
}

/** What the same code gives as written. */
function native(code: string): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  new Function('module', code)(module);
  return module.exports;
}

/** Runs `make` of the code as written and rewritten, each on arguments of its own (`make` may change them). */
const same = (code: string, ...args: unknown[]) => {
  const run = (exports: Record<string, unknown>) =>
    (exports.make as (...a: unknown[]) => unknown)(...args.map((arg) => (typeof arg === 'function' ? arg() : arg)));
  const [written, lowered] = [run(native(code)), run(rewritten(code))];
  expect(lowered).toEqual(written);
  expect(Reflect.ownKeys(lowered as object)).toEqual(Reflect.ownKeys(written as object));
  expect(Object.getPrototypeOf(lowered)).toBe(Object.getPrototypeOf(written));
  return lowered as Record<PropertyKey, unknown>;
};

describe('object literals that go on after a spread, in the bundles', () => {
  it('make the same object, with its keys in the same order', () => {
    same('module.exports.make = (a) => ({ ...a, b: 1 });', { a: 1, b: 2, c: 3 });
    same('module.exports.make = (a, b) => ({ x: 0, ...a, y: 1, ...b, [`z${1}`]: 2, a });', { y: 5, q: 1 }, { x: 9 });
    same('module.exports.make = (a, b) => ({ ...a, ...b });', null, 'ab');
    same('module.exports.make = (a) => ({ ...(a && { present: a }), after: true, });', 7);
    const symbol = Symbol('s');
    expect(same('module.exports.make = (a) => ({ ...a, b: 1 });', { [symbol]: 1 })[symbol]).toBe(1);
  });

  it('evaluates and copies in the order written: each spread is copied before what follows it runs', () => {
    const code = 'module.exports.make = (a) => ({ ...a, count: ++a.count, ...a, nested: { ...a, last: a.count++ } });';
    expect(same(code, () => ({ count: 1 }))).toEqual({ count: 2, nested: { count: 2, last: 2 } });
  });

  it('keeps an own __proto__ key a key, as a spread does, without touching the prototype', () => {
    const hostile = JSON.parse('{"__proto__": {"admin": true}, "name": "x"}');
    const made = same('module.exports.make = (a) => ({ ...a, checked: true });', hostile);
    expect(made.admin).toBeUndefined();
    expect(Object.hasOwn(made, '__proto__')).toBe(true);
  });

  it('leaves alone what costs nothing extra or what a helper could not make the same', () => {
    for (const code of [
      'const x = { ...a };',
      'const x = { a, ...b };',
      'const x = { ...a, get b() { return 1; } };',
      'const x = { ...a, b() { return super.b; } };',
      'const x = { ...a, __proto__: p };',
      'const x = [...a, b];',
      'const x = f(...a, b);',
    ])
      expect(rewriteObjectSpreads(code, 'module.js')).toBeNull();
  });

  it('rewrites nested literals, and spreads of parenthesized expressions', () => {
    const { code } = rewriteObjectSpreads('const x = { ...a, b: { ...(c ? d : e), f }, ...g };', 'module.js');
    expect(code).toBe(
      'const x = __lmObjectSpread(__lmObjectSpread(__lmObjectSpread({}, a), { b: __lmObjectSpread(__lmObjectSpread({}, (c ? d : e)), { f }) }), g);',
    );
  });
});
